import { AppError } from '@autocrm/shared';
import type { Db } from '../../storage/db';
import { assertCanSeeConversation, visibleInboxIds } from '../access/gate';
import type { Actor } from '../actor';

/** The channels an agent can answer a customer on, and the address each reaches. */
const REACHABLE = ['email', 'sms', 'whatsapp', 'messenger', 'web'] as const;
type ReachableChannel = (typeof REACHABLE)[number];

export interface ReplyChannelOption {
  inboxId: string;
  inboxName: string;
  channel: ReachableChannel;
  /** Where the reply goes: an email address, a phone number, a PSID/IGSID, or "widget". */
  address: string;
  /** The contact's latest conversation in that inbox (the reply continues it), or null: a new one starts. */
  conversationId: string | null;
  /** When the customer last wrote on this inbox. */
  lastCustomerMessageAt: string | null;
}

/** The addresses of a contact that each channel of an inbox can reach, from their identities. */
export async function reachableAddresses(db: Db, props: { contactId: string; inboxId: string; channel: string }) {
  const ids = await db
    .selectFrom('contact_identities')
    .select(['kind', 'value', 'inbox_id'])
    .where('contact_id', '=', props.contactId)
    .orderBy('created_at', 'desc')
    .execute();
  const of = (kind: string, inboxScoped = false) =>
    ids.filter((i) => i.kind === kind && (!inboxScoped || i.inbox_id === props.inboxId)).map((i) => i.value);
  switch (props.channel) {
    case 'email':
      return of('email');
    case 'sms':
      return of('phone');
    case 'whatsapp':
      return [...of('whatsapp'), ...of('phone').filter((p) => p.startsWith('+'))];
    case 'messenger':
      return [...of('messenger', true), ...of('instagram', true)];
    case 'web': {
      const visitor = await db
        .selectFrom('visitors')
        .select('id')
        .where('contact_id', '=', props.contactId)
        .where('inbox_id', '=', props.inboxId)
        .executeTakeFirst();
      return visitor ? ['widget'] : [];
    }
    default:
      return [];
  }
}

/**
 * Where an agent can answer the customer of a conversation: every inbox the agent works whose channel
 * reaches one of the contact's identities. The default is the inbox the customer last wrote on.
 */
export async function listReplyChannels(
  db: Db,
  props: { actor: Actor; conversationId: string },
): Promise<{ defaultInboxId: string; options: ReplyChannelOption[] }> {
  const conv = await assertCanSeeConversation(db, props);
  const contact = await db
    .selectFrom('conversations')
    .select('contact_id')
    .where('id', '=', props.conversationId)
    .executeTakeFirst();
  if (!contact) throw new AppError('not_found', 'conversation not found');
  const visible = await visibleInboxIds(db, props.actor);
  let q = db
    .selectFrom('inboxes')
    .select(['id', 'name', 'channel'])
    .where('channel', 'in', [...REACHABLE])
    .orderBy('name');
  if (visible) q = visible.length ? q.where('id', 'in', visible) : q.where(({ lit }) => lit(false));
  const inboxes = await q.execute();
  const activity = await db
    .selectFrom('conversations as c')
    .leftJoin('messages as m', (j) => j.onRef('m.conversation_id', '=', 'c.id').on('m.author_kind', '=', 'contact'))
    .select(['c.id', 'c.inbox_id', 'c.created_at'])
    .select((eb) => eb.fn.max('m.created_at').as('last_in'))
    .where('c.contact_id', '=', contact.contact_id)
    .where('c.merged_into_id', 'is', null)
    .groupBy(['c.id', 'c.inbox_id', 'c.created_at'])
    .execute();
  const options: ReplyChannelOption[] = [];
  for (const inbox of inboxes) {
    const addresses = await reachableAddresses(db, { contactId: contact.contact_id, inboxId: inbox.id, channel: inbox.channel });
    const mine = activity
      .filter((a) => a.inbox_id === inbox.id)
      .sort((a, b) => new Date(b.created_at).getTime() - new Date(a.created_at).getTime());
    const current = inbox.id === conv.inboxId ? props.conversationId : (mine[0]?.id ?? null);
    if (!addresses.length && inbox.id !== conv.inboxId) continue;
    const lastIn = mine
      .map((a) => (a.last_in ? new Date(a.last_in as string | Date).getTime() : 0))
      .reduce((a, b) => Math.max(a, b), 0);
    options.push({
      inboxId: inbox.id,
      inboxName: inbox.name,
      channel: inbox.channel as ReachableChannel,
      address: addresses[0] ?? '',
      conversationId: current,
      lastCustomerMessageAt: lastIn ? new Date(lastIn).toISOString() : null,
    });
  }
  const latest = [...options].sort(
    (a, b) => new Date(b.lastCustomerMessageAt ?? 0).getTime() - new Date(a.lastCustomerMessageAt ?? 0).getTime(),
  )[0];
  return { defaultInboxId: latest?.lastCustomerMessageAt ? latest.inboxId : conv.inboxId, options };
}
