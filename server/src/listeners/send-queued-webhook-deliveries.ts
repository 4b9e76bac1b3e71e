import type { EventListener } from '../events/listener';
import type { ListenerContext } from './context';

/** A delivery queued outside the event flow (a redelivery, a test ping) goes out now. */
export function sendQueuedWebhookDeliveries(ctx: ListenerContext): EventListener {
  return {
    name: 'send-queued-webhook-deliveries',
    events: ['webhook.delivery_queued'],
    afterCommit: () => ctx.webhookWorker.poke(),
  };
}
