import type { EventListener } from '../events/listener';
import type { ListenerContext } from './context';

/**
 * Every dispatched event (internal ones included) counts in the metrics, and wakes the webhook worker for
 * the deliveries it queued.
 */
export function countAndSendWebhooks(ctx: ListenerContext): EventListener {
  return {
    name: 'metrics+webhook-kick',
    events: '*',
    afterCommit: (event) => {
      ctx.metrics.eventsDispatched.inc({ type: event.type });
      ctx.webhookWorker.poke();
    },
  };
}
