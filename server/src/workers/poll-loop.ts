// PollLoop moved to events/poll-loop.ts (the relay is built on it, and channels may use it without
// importing workers/). This re-export keeps workers written before the move compiling; new code imports
// '../events/poll-loop'.
export { PollLoop } from '../events/poll-loop';
