import { sql } from 'kysely';
import { reachableAddresses } from '../../domain/conversations/reply-channels';
import type { Db } from '../../storage/db';

/**
 * When the customer last wrote to this inbox through this provider (null: never). Meta's messaging
 * windows (WhatsApp's 24 hours, Messenger's 24 hours and 7 days for HUMAN_AGENT) count from it. The
 * window is the customer's with the business: a message in another conversation of the same contact
 * and inbox (one an agent started on another channel's behalf) counts too.
 * The moment is the provider's own (`sent_at`): Meta redelivers webhooks for days after an outage of
 * ours, and a message that reached us late does not reopen a window Meta has closed. A provider clock
 * ahead of ours never moves it past our receive time.
 */
export async function lastCustomerMessageAt(db: Db, props: { conversationId: string; provider: string }): Promise<Date | null> {
  const wrote = sql<Date>`least(coalesce(cm.sent_at, cm.created_at), cm.created_at)`;
  const last = await db
    .selectFrom('channel_messages as cm')
    .innerJoin('conversations as c', 'c.id', 'cm.conversation_id')
    .innerJoin('conversations as here', (j) =>
      j.onRef('here.contact_id', '=', 'c.contact_id').onRef('here.inbox_id', '=', 'c.inbox_id'),
    )
    .select(wrote.as('wrote_at'))
    .where('here.id', '=', props.conversationId)
    .where('cm.provider', '=', props.provider)
    .where('cm.direction', '=', 'in')
    .orderBy(wrote, 'desc')
    .limit(1)
    .executeTakeFirst();
  return last ? new Date(last.wrote_at) : null;
}

/** The customer's address and ours in a conversation: where they last wrote from, to which of our addresses. */
export async function lastInboundAddresses(db: Db, props: { conversationId: string; provider: string }) {
  const last = await db
    .selectFrom('channel_messages')
    .select(['from_address', 'to_address'])
    .where('conversation_id', '=', props.conversationId)
    .where('provider', '=', props.provider)
    .where('direction', '=', 'in')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return last ? { from: last.from_address, to: last.to_address } : undefined;
}

/**
 * Where a reply in this conversation goes (`from` the customer's address, `to` ours): where the customer
 * last wrote from, else, in a conversation an agent started, the contact's identity the channel reaches.
 */
export async function customerAddressIn(
  db: Db,
  props: { conversationId: string; provider: string; channel: string },
): Promise<{ from: string; to: string } | undefined> {
  const last = await lastInboundAddresses(db, props);
  if (last) return last;
  const conv = await db
    .selectFrom('conversations')
    .select(['contact_id', 'inbox_id'])
    .where('id', '=', props.conversationId)
    .executeTakeFirst();
  if (!conv) return undefined;
  const [to] = await reachableAddresses(db, { contactId: conv.contact_id, inboxId: conv.inbox_id, channel: props.channel });
  return to ? { from: to, to: '' } : undefined;
}
