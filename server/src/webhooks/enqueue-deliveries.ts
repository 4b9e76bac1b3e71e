import { randomUUID } from 'node:crypto';
import type { DomainEvent, WebhookPayload } from '@autocrm/shared';
import { sql } from 'kysely';
import type { EventListener } from '../events/listener';

/**
 * Turns each domain event into one pending delivery per subscribed webhook, in the relay's
 * transaction: an event is enqueued exactly once, and the delivery id (the webhook-id header) is
 * fixed here for every retry.
 */
export const enqueueWebhookDeliveries: EventListener = {
  name: 'webhooks',
  events: '*',
  async inTransaction(event: DomainEvent, trx) {
    const hooks = await trx
      .selectFrom('webhooks')
      .select('id')
      // Paused webhooks get their deliveries too: the worker holds them until it is switched back on.
      .where((eb) => eb.or([sql<boolean>`${event.type} = any(events)`, sql<boolean>`'*' = any(events)`]))
      .execute();
    if (hooks.length === 0) return;
    const payload: WebhookPayload = { type: event.type, timestamp: event.occurredAt, data: event.data };
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
  },
};
