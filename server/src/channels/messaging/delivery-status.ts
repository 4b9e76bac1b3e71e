import type { ChannelStatusEvent } from '@autocrm/shared';
import type { ChannelMessageStatus } from '../../../../db/types';
import { assertCanSeeConversation } from '../../domain/access/gate';
import type { Actor } from '../../domain/actor';
import { emit } from '../../events/outbox';
import type { Db } from '../../storage/db';

// How far a message got. Callbacks can arrive out of order (Twilio does not promise order), so a
// state only ever moves forward: a late `sent` never hides `delivered`.
const RANK: Partial<Record<ChannelMessageStatus, number>> = { sent: 1, delivered: 2, undelivered: 2, failed: 2, read: 3 };
const PROVIDER_STATUS: Record<string, ChannelMessageStatus> = {
  sent: 'sent',
  delivered: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed',
  read: 'read',
};

/**
 * A provider's status callback for one of our messages. When the state moved forward it is stored
 * with a `channel.delivery_status` event in one transaction (the room's agents hear it from there);
 * the event's data is returned, undefined when nothing moved.
 */
export async function recordDeliveryStatus(
  db: Db,
  props: { provider: string; inboxId: string; externalId: string; status: string; errorCode?: string | undefined },
): Promise<ChannelStatusEvent | undefined> {
  const status = PROVIDER_STATUS[props.status.toLowerCase()];
  if (!status) return undefined;
  const row = await db
    .selectFrom('channel_messages')
    .select(['id', 'status', 'conversation_id', 'message_id'])
    .where('provider', '=', props.provider)
    .where('direction', '=', 'out')
    .where('inbox_id', '=', props.inboxId)
    .where('external_id', '=', props.externalId)
    .executeTakeFirst();
  if (!row || (RANK[row.status] ?? 0) >= (RANK[status] ?? 0)) return undefined;
  const reason =
    status === 'failed' || status === 'undelivered' ? `the carrier reported error ${props.errorCode ?? 'unknown'}` : null;
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('channel_messages')
      .set({ status, status_reason: reason, updated_at: new Date() })
      .where('id', '=', row.id)
      .where('status', '=', row.status)
      .returning('id')
      .executeTakeFirst();
    if (!updated || !row.conversation_id) return undefined;
    const event = { conversationId: row.conversation_id, channelMessageId: row.id, messageId: row.message_id, status, reason };
    await emit(trx, 'channel.delivery_status', event);
    return event;
  });
}

/** The network a row crossed, by its provider; a customer's Instagram message is marked so when received. */
function networkOf(provider: string, payload: { [key: string]: unknown } | null) {
  if (provider === 'twilio') return 'sms' as const;
  if (provider === 'whatsapp') return 'whatsapp' as const;
  return payload?.instagram === true ? ('instagram' as const) : ('messenger' as const);
}

/** Every message of a conversation that crossed a messaging provider, with its delivery state. */
export async function listChannelMessages(db: Db, props: { actor: Actor; conversationId: string }) {
  await assertCanSeeConversation(db, props);
  const rows = await db
    .selectFrom('channel_messages')
    .selectAll()
    .where('conversation_id', '=', props.conversationId)
    .orderBy('created_at')
    .limit(1000)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    messageId: r.message_id,
    provider: r.provider,
    network: networkOf(r.provider, r.payload),
    direction: r.direction,
    from: r.from_address,
    to: r.to_address,
    status: r.status,
    reason: r.status_reason,
    segments: r.segments,
    attempts: r.attempts,
    updatedAt: new Date(r.updated_at).toISOString(),
  }));
}
