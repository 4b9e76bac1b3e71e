import { AppError } from '@autocrm/shared';
import type { Actor } from '../domain/actor';
import { recordAudit } from '../domain/audit/record-audit';
import { cursorDate, decodeCursor, encodeCursor } from '../domain/pagination';
import { emit } from '../events/outbox';
import type { Db } from '../storage/db';

type DeliveryRow = {
  id: string;
  webhook_id: string;
  event_type: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: Date | null;
  created_at: Date;
  updated_at: Date;
};

export const presentDelivery = (d: DeliveryRow) => ({
  id: d.id,
  webhookId: d.webhook_id,
  eventType: d.event_type,
  status: d.status,
  attempts: d.attempts,
  lastStatusCode: d.last_status_code,
  lastError: d.last_error,
  nextAttemptAt: d.next_attempt_at ? d.next_attempt_at.toISOString() : null,
  createdAt: d.created_at.toISOString(),
  updatedAt: d.updated_at.toISOString(),
});

export async function listDeliveries(db: Db, webhookId: string, props: { limit: number; cursor?: string | undefined }) {
  const hook = await db.selectFrom('webhooks').select('id').where('id', '=', webhookId).executeTakeFirst();
  if (!hook) throw new AppError('not_found', 'webhook not found');
  let q = db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId);
  if (props.cursor) {
    const [at, id] = decodeCursor(props.cursor, 2);
    const date = cursorDate(at);
    q = q.where((eb) => eb.or([eb('created_at', '<', date), eb.and([eb('created_at', '=', date), eb('id', '<', String(id))])]));
  }
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(props.limit + 1)
    .execute();
  const page = rows.slice(0, props.limit);
  const last = page.at(-1);
  return {
    data: page.map(presentDelivery),
    nextCursor: rows.length > props.limit && last ? encodeCursor([last.created_at.toISOString(), last.id]) : null,
  };
}

/** Sends a delivery again now, with its original webhook-id and payload, and a fresh retry schedule. */
export async function redeliver(db: Db, actor: Actor, deliveryId: string) {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('webhook_deliveries')
      .set({ status: 'pending', attempts: 0, next_attempt_at: new Date(), updated_at: new Date() })
      .where('id', '=', deliveryId)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AppError('not_found', 'delivery not found');
    await recordAudit(trx, { actor, action: 'webhook.redelivered', entityType: 'webhook_delivery', entityId: deliveryId });
    await emit(trx, 'webhook.delivery_queued', { deliveryId, webhookId: row.webhook_id });
    return presentDelivery(row);
  });
}
