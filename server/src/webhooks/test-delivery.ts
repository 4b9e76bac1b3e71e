import { randomInt, randomUUID } from 'node:crypto';
import { AppError } from '@autocrm/shared';
import type { Actor } from '../domain/actor';
import { recordAudit } from '../domain/audit/record-audit';
import { emit } from '../events/outbox';
import type { Db } from '../storage/db';
import { presentDelivery } from './delivery-log';

/** The event type of a "send test" ping: subscribers see it only when someone asks for one. */
export const TEST_EVENT_TYPE = 'webhook.test';

/**
 * Queues a signed ping to one webhook, delivered, retried and logged like any other delivery, so an
 * admin can check the receiver and its signature check before real events flow. It is no webhook event
 * (nothing happened in the workspace): the delivery row is the outbox here. Its event id is negative,
 * outside the outbox's range, so it can never collide with a real event's delivery.
 */
export async function queueTestDelivery(db: Db, actor: Actor, webhookId: string) {
  return db.transaction().execute(async (trx) => {
    const hook = await trx.selectFrom('webhooks').select('id').where('id', '=', webhookId).executeTakeFirst();
    if (!hook) throw new AppError('not_found', 'webhook not found');
    const now = new Date();
    // The shape of every payload (type, timestamp, data), with a type no domain event has.
    const payload = {
      type: TEST_EVENT_TYPE,
      timestamp: now.toISOString(),
      data: { webhookId, message: 'A test event sent from AutoCRM settings.' },
    };
    const row = await trx
      .insertInto('webhook_deliveries')
      .values({
        id: `msg_${randomUUID().replaceAll('-', '')}`,
        webhook_id: webhookId,
        event_id: -(now.getTime() * 1000 + randomInt(1000)),
        event_type: TEST_EVENT_TYPE,
        payload: JSON.stringify(payload),
        next_attempt_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actor, action: 'webhook.tested', entityType: 'webhook', entityId: webhookId });
    // Only the internal wake-up (no subscriber sees it): the worker sends the ping once this commits.
    await emit(trx, 'webhook.delivery_queued', { deliveryId: row.id, webhookId });
    return presentDelivery(row);
  });
}
