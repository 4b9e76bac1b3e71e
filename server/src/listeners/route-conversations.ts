import { recordRoutingEvent } from '../domain/routing/routing-intake';
import type { EventListener } from '../events/listener';
import type { ListenerContext } from './context';

/** Routing intake: records new conversations and SLA changes in the event's transaction, routes after commit. */
export function routeConversations(ctx: ListenerContext): EventListener {
  const { routing } = ctx;
  return {
    name: 'routing',
    events: ['conversation.created', 'conversation.handoff', 'conversation.updated', 'message.created'],
    inTransaction: async (event, trx) => {
      const { seatFreed } = await recordRoutingEvent(trx, { event, now: routing.clock.now() });
      if (seatFreed) routing.wantBackfill();
    },
    // Only new work needs a round now; everything else waits for the periodic one.
    afterCommit: (event) => {
      if (event.type === 'conversation.created' || event.type === 'conversation.handoff' || routing.backfillPending)
        routing.poke();
    },
  };
}
