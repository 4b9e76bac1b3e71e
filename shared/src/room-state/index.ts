/**
 * The room-state reducer both clients share: one pure function from (state, signal) to state, so the
 * workspace room page and the widget cannot disagree on ordering, revisions, typing, reads, streams,
 * the queue or the status. Each client keeps one RoomState per open room.
 */
export { isOlderSnapshot, reduceRoom } from './reduce';
export { liveStreams, nextDeadline, otherViewers, readUpTo, typingNow, unreadCount } from './selectors';
export {
  type BotStream,
  initialRoomState,
  type PendingReply,
  participantKey,
  type QueuePosition,
  type RoomAction,
  type RoomNotice,
  type RoomSelf,
  type RoomState,
  type RoomStatus,
  STREAM_DONE_FADE_MS,
  STREAM_STALL_FADE_MS,
  statusOf,
  TYPING_FADE_MS,
  type TypingEntry,
} from './state';
