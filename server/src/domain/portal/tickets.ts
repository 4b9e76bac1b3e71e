import {
  AppError,
  type MessageCreate,
  type PortalField,
  type PortalMessage,
  type PortalTicket,
  type PortalTicketCreate,
} from '@autocrm/shared';
import { languageOf } from '@autocrm/shared/strings';
import type { z } from 'zod';
import type { Db } from '../../storage/db';
import { assertCustomerCanSeeConversation } from '../access/gate';
import { SYSTEM } from '../actor';
import { createConversationInTransaction } from '../conversations/create-conversation';
import { applyConversationUpdate } from '../conversations/update-conversation';
import { appendMessage, inSendTransaction } from '../messages/append-message';
import { presentMessage } from '../messages/present-message';
import { rateOwnConversation } from '../widget/csat';
import { portalInboxId } from './branding';

export interface PortalCustomerRef {
  contactId: string;
}

const firstName = (name: string | null) => (name ? (name.trim().split(/\s+/)[0] ?? null) : null);

const ticketQuery = (db: Db, contactId: string) =>
  db
    .selectFrom('conversations as c')
    .innerJoin('statuses as s', 's.id', 'c.status_id')
    .innerJoin('inboxes as i', 'i.id', 'c.inbox_id')
    .leftJoin('users as u', 'u.id', 'c.assignee_id')
    .select([
      'c.id',
      'c.number',
      'c.subject',
      'c.status_category',
      's.name as status_name',
      'i.channel',
      'c.created_at',
      'c.last_activity_at',
      'c.csat_rating',
      'u.name as assignee_name',
      'u.display_name as assignee_display_name',
    ])
    .where('c.contact_id', '=', contactId)
    .where('c.merged_into_id', 'is', null);

type TicketRow = Awaited<ReturnType<ReturnType<typeof ticketQuery>['executeTakeFirstOrThrow']>>;

const presentTicket = (r: TicketRow): z.infer<typeof PortalTicket> => ({
  id: r.id,
  number: r.number,
  subject: r.subject,
  status: { name: r.status_name, category: r.status_category },
  channel: r.channel,
  createdAt: r.created_at.toISOString(),
  lastActivityAt: r.last_activity_at.toISOString(),
  assigneeFirstName: firstName(r.assignee_display_name ?? r.assignee_name),
  csatRating: r.csat_rating,
});

/** Every ticket of the customer's contact, on every channel and in every inbox, newest activity first. */
export async function listPortalTickets(db: Db, { contactId }: PortalCustomerRef) {
  const rows = await ticketQuery(db, contactId).orderBy('c.last_activity_at', 'desc').limit(200).execute();
  return rows.map(presentTicket);
}

export type GetPortalTicketProps = PortalCustomerRef & { conversationId: string };

/** One ticket and its whole public history: internal notes and deleted messages never leave here. */
export async function getPortalTicket(db: Db, { contactId, conversationId }: GetPortalTicketProps) {
  await assertCustomerCanSeeConversation(db, { customer: { contactId }, conversationId });
  const row = await ticketQuery(db, contactId).where('c.id', '=', conversationId).executeTakeFirst();
  if (!row) throw new AppError('not_found', 'conversation not found');
  const messages = await db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('private', '=', false)
    .where('deleted_at', 'is', null)
    .orderBy('seq')
    .limit(2000)
    .execute();
  const agentIds = [...new Set(messages.filter((m) => m.author_kind === 'agent' && m.author_id).map((m) => m.author_id!))];
  const agents = agentIds.length
    ? await db.selectFrom('users').select(['id', 'name', 'display_name']).where('id', 'in', agentIds).execute()
    : [];
  const out: z.infer<typeof PortalMessage>[] = messages.map((m) => {
    const shown = presentMessage(m);
    const agent = agents.find((a) => a.id === m.author_id);
    return {
      id: m.id,
      seq: m.seq,
      from: m.author_kind === 'contact' ? 'you' : m.author_kind,
      authorName: agent ? firstName(agent.display_name ?? agent.name) : null,
      bodyHtml: shown.bodyHtml,
      bodyText: shown.bodyText,
      attachments: shown.attachments,
      createdAt: shown.createdAt,
    };
  });
  return { ticket: presentTicket(row), messages: out };
}

export type ReplyAsCustomerProps = PortalCustomerRef & {
  conversationId: string;
  body: string;
  clientId?: string | undefined;
  attachments?: MessageCreate['attachments'];
};

/**
 * The customer's reply from the portal: the same command as a widget message, so it gets the room's
 * next seq, reaches the agents live (outbox fan-out), reopens a resolved ticket, and a retried client
 * id is stored once.
 */
export async function replyAsCustomer(db: Db, { contactId, conversationId, ...props }: ReplyAsCustomerProps) {
  await assertCustomerCanSeeConversation(db, { customer: { contactId }, conversationId });
  const result = await inSendTransaction(db, (trx) =>
    appendMessage(trx, {
      conversationId,
      authorKind: 'contact',
      authorId: contactId,
      body: props.body,
      clientId: props.clientId,
      attachments: props.attachments,
    }),
  );
  return { id: result.message.id, seq: result.message.seq };
}

/** The custom fields an admin marked customer-visible: the portal's ticket form shows these. */
export async function portalTicketFields(db: Db): Promise<z.infer<typeof PortalField>[]> {
  const rows = await db
    .selectFrom('custom_field_definitions')
    .select(['key', 'label', 'type', 'options', 'required'])
    .where('customer_visible', '=', true)
    .orderBy('key')
    .execute();
  return rows.map((r) => ({ key: r.key, label: r.label, type: r.type, options: r.options, required: r.required }));
}

export type CreatePortalTicketProps = PortalCustomerRef & { input: z.infer<typeof PortalTicketCreate> };

/** A ticket from the portal's form: a person answers it (no bot), in the portal's inbox. */
export async function createPortalTicket(db: Db, { contactId, input }: CreatePortalTicketProps) {
  const inboxId = await portalInboxId(db);
  return inSendTransaction(db, async (trx) => {
    if (input.clientId) {
      const again = await trx
        .selectFrom('messages as m')
        .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
        .select('c.id')
        .where('c.contact_id', '=', contactId)
        .where('m.client_id', '=', input.clientId)
        .executeTakeFirst();
      if (again) return { id: again.id };
    }
    const conv = await createConversationInTransaction(trx, {
      actor: SYSTEM,
      owner: 'human',
      byCustomer: true,
      locale: input.locale && languageOf(input.locale) === input.locale ? input.locale : null,
      input: {
        inboxId,
        contactId,
        subject: input.subject,
        ...(input.customFields ? { customFields: input.customFields } : {}),
        message: {
          body: input.description,
          from: 'contact',
          ...(input.clientId ? { clientId: input.clientId } : {}),
          ...(input.attachments?.length ? { attachments: input.attachments } : {}),
        },
      },
    });
    return { id: conv.id };
  });
}

/** The customer closes their own ticket: it moves to the first "resolved" status. */
export async function closePortalTicket(db: Db, { contactId, conversationId }: GetPortalTicketProps) {
  await assertCustomerCanSeeConversation(db, { customer: { contactId }, conversationId });
  const status = await db
    .selectFrom('statuses')
    .select('id')
    .where('category', '=', 'resolved')
    .orderBy('position')
    .executeTakeFirst();
  if (!status) throw new AppError('conflict', 'the workspace has no resolved status');
  await db
    .transaction()
    .execute((trx) => applyConversationUpdate(trx, { actor: SYSTEM, id: conversationId, update: { statusId: status.id } }));
}

export type RatePortalTicketProps = GetPortalTicketProps & { rating: number; comment?: string | undefined };

/** CSAT from the portal: the same event (`conversation.rated`) as the widget and the mailed links. */
export async function ratePortalTicket(db: Db, { contactId, conversationId, rating, comment }: RatePortalTicketProps) {
  await assertCustomerCanSeeConversation(db, { customer: { contactId }, conversationId });
  return rateOwnConversation(db, { contactId, conversationId, rating, comment });
}
