import type { EventListener } from '../events/listener';
import type { ListenerContext } from './context';

/**
 * A routing input changed (a new team member, more capacity, new settings, a conversation's skills):
 * it may free a queued conversation, so the next round offers the whole queue again, now.
 */
export function routeQueueAgain(ctx: ListenerContext): EventListener {
  return {
    name: 'route-queue-again',
    events: ['routing.settings_changed'],
    afterCommit: () => ctx.routing.requestBackfill(),
  };
}
