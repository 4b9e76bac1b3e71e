import { randomUUID } from 'node:crypto';
import { type DomainEvent, isInternalEvent, type WebhookEventType, type WebhookPayload } from '@autocrm/shared';
import type { EventListener } from '../events/listener';
import { wakeWhenQueued } from '../events/wake-when-queued';
import type { Db } from '../storage/db';
import type { ListenerContext } from './context';

/**
 * Turns each domain event into one pending delivery per subscribed webhook, in the relay's
 * transaction: an event is enqueued exactly once, and the delivery id (the webhook-id header) is
 * fixed here for every retry.
 */
// The relay dispatches a batch of events in one transaction: the subscriptions are read once per batch
// (keyed by that transaction), not once per event. Inside the transaction they cannot change under us.
const subscriptionsByBatch = new WeakMap<object, Promise<{ id: string; events: string[] }[]>>();

const listener = {
  name: 'webhooks',
  events: '*' as const,
  async inTransaction(event: DomainEvent, trx: Db): Promise<boolean> {
    // Internal events (schemas/internal-events.ts) wake our own loops; no subscriber ever gets one.
    if (isInternalEvent(event.type)) return false;
    let subscriptions = subscriptionsByBatch.get(trx);
    if (!subscriptions) {
      // Paused webhooks get their deliveries too: the worker holds them until it is switched back on.
      subscriptions = trx.selectFrom('webhooks').select(['id', 'events']).execute();
      subscriptionsByBatch.set(trx, subscriptions);
    }
    const hooks = (await subscriptions).filter((h) => h.events.includes(event.type) || h.events.includes('*'));
    if (hooks.length === 0) return false;
    const payload = {
      type: event.type,
      timestamp: event.occurredAt,
      data: event.data,
    } as WebhookPayload<WebhookEventType>;
    await trx
      .insertInto('webhook_deliveries')
      .values(
        hooks.map((h) => ({
          id: `msg_${randomUUID().replaceAll('-', '')}`,
          webhook_id: h.id,
          event_id: event.id,
          event_type: event.type,
          payload: JSON.stringify(payload),
          next_attempt_at: new Date(),
          updated_at: new Date(),
        })),
      )
      .onConflict((oc) => oc.columns(['webhook_id', 'event_id']).doNothing())
      .execute();
    return true;
  },
};

/** The deliveries, and a wake of the webhook worker after the commit of each event that queued any. */
export const enqueueWebhookDeliveries = (ctx: ListenerContext): EventListener =>
  wakeWhenQueued(listener, () => ctx.webhookWorker.poke());
