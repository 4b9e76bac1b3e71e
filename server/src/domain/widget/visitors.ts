import type { WidgetConversation } from '@autocrm/shared';
import { languageOf } from '@autocrm/shared/strings';
import type { Db } from '../../storage/db';
import { SYSTEM } from '../actor';
import { hashToken } from '../auth/tokens';
import { openConversationInTransaction } from '../conversations/create-conversation';
import { botSettingsOf } from './settings';

export interface VisitorContext {
  visitorId: string;
  contactId: string;
  inboxId: string;
  name: string | null;
}

/** How often a visitor's `last_seen_at` is moved on (abandoned visitors are pruned, and segments chosen, by days). */
const SEEN_EVERY_MS = 60_000;

/** The visitor behind a token, only on the website (inbox) it was issued for. */
export async function resolveVisitor(
  db: Db,
  props: { websiteToken: string; visitorToken: string },
): Promise<VisitorContext | undefined> {
  // One statement: this runs on every widget connect and request (a reconnect storm is thousands at once).
  // The visit is recorded at most once a minute (what reads it counts days): a write on every connect and
  // request cost a WAL record and the row's lock, and a visitor's tabs reconnecting together queued for it.
  const now = new Date();
  const row = await db
    .with('found', (qb) =>
      qb
        .selectFrom('visitors as v')
        .innerJoin('inboxes as i', 'i.id', 'v.inbox_id')
        .innerJoin('contacts as c', 'c.id', 'v.contact_id')
        .select(['v.id', 'v.contact_id', 'v.inbox_id', 'c.name', 'v.last_seen_at'])
        .where('v.token_hash', '=', hashToken(props.visitorToken))
        .where('i.website_token', '=', props.websiteToken),
    )
    .with('seen', (qb) =>
      qb
        .updateTable('visitors')
        .from('found')
        .set({ last_seen_at: now })
        .whereRef('visitors.id', '=', 'found.id')
        .where('found.last_seen_at', '<', new Date(now.getTime() - SEEN_EVERY_MS)),
    )
    .selectFrom('found')
    .select(['id', 'contact_id', 'inbox_id', 'name'])
    .executeTakeFirst();
  if (!row) return undefined;
  return { visitorId: row.id, contactId: row.contact_id, inboxId: row.inbox_id, name: row.name };
}

export async function listVisitorConversations(db: Db, visitor: VisitorContext): Promise<WidgetConversation[]> {
  const rows = await db
    .selectFrom('conversations')
    .select(['id', 'number', 'subject', 'status_category', 'last_seq', 'last_activity_at'])
    .where('contact_id', '=', visitor.contactId)
    .where('inbox_id', '=', visitor.inboxId)
    .orderBy('last_activity_at', 'desc')
    .limit(50)
    .execute();
  const ids = rows.map((r) => r.id);
  const authors = ids.length
    ? await db
        .selectFrom('messages as m')
        .innerJoin('users as u', 'u.id', 'm.author_id')
        .select(['m.conversation_id', 'u.id', 'u.name'])
        .distinct()
        .where('m.conversation_id', 'in', ids)
        .where('m.author_kind', '=', 'agent')
        .execute()
    : [];
  const assignees = ids.length
    ? await db
        .selectFrom('conversations as c')
        .innerJoin('users as u', 'u.id', 'c.assignee_id')
        .select(['c.id as conversation_id', 'u.id', 'u.name'])
        .where('c.id', 'in', ids)
        .execute()
    : [];
  return rows.map((r) => {
    const assignee = assignees.find((a) => a.conversation_id === r.id);
    return {
      id: r.id,
      number: r.number,
      subject: r.subject,
      statusCategory: r.status_category,
      lastSeq: r.last_seq,
      lastActivityAt: r.last_activity_at.toISOString(),
      assignee: assignee ? { id: assignee.id, name: assignee.name } : null,
      agents: authors.filter((a) => a.conversation_id === r.id).map((a) => ({ id: a.id, name: a.name })),
    };
  });
}

export type StartVisitorConversationProps = {
  visitor: VisitorContext;
  clientId: string;
  body: string;
  subject?: string | undefined;
  locale?: string | undefined;
};

/**
 * Opens a conversation with the visitor's first message. A retried start with the same client id
 * returns the conversation the first attempt opened (the visitor row lock orders concurrent retries).
 */
export async function startVisitorConversation(
  db: Db,
  { visitor, ...props }: StartVisitorConversationProps,
): Promise<{ conversationId: string; seq: number; id: string }> {
  return db.transaction().execute(async (trx) => {
    // One statement: the visitor row locked (concurrent retries wait here, then find the first one's
    // message), the inbox's settings, and a message this client id already started.
    const v = await trx
      .selectFrom('visitors as v')
      .innerJoin('inboxes as i', 'i.id', 'v.inbox_id')
      .leftJoinLateral(
        (eb) =>
          eb
            .selectFrom('messages as m')
            .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
            .select(['m.conversation_id', 'm.seq', 'm.id'])
            .where('c.contact_id', '=', visitor.contactId)
            .where('m.client_id', '=', props.clientId)
            .limit(1)
            .as('f'),
        (join) => join.onTrue(),
      )
      .select(['i.settings', 'f.conversation_id', 'f.seq', 'f.id'])
      .where('v.id', '=', visitor.visitorId)
      .forUpdate('v')
      .executeTakeFirst();
    if (v?.conversation_id && v.id && v.seq !== null) return { conversationId: v.conversation_id, seq: v.seq, id: v.id };
    const { conversation, message } = await openConversationInTransaction(trx, {
      actor: SYSTEM,
      // The bot answers first unless the inbox turned it off.
      owner: botSettingsOf(v?.settings ?? {}).enabled ? 'bot' : 'human',
      // Only a language we speak (the catalogue's); the bot detects the others from what is written.
      locale:
        props.locale && languageOf(props.locale) === props.locale.slice(0, 2).toLowerCase() ? languageOf(props.locale) : null,
      input: {
        inboxId: visitor.inboxId,
        contactId: visitor.contactId,
        ...(props.subject ? { subject: props.subject } : {}),
        message: { body: props.body, from: 'contact', clientId: props.clientId },
      },
    });
    if (!message) throw new Error(`first message of ${conversation.id} not stored`);
    return { conversationId: conversation.id, seq: message.seq, id: message.id };
  });
}
