import { AppError } from '@autocrm/shared';
import { type ExpressionBuilder, sql } from 'kysely';
import type { Database } from '../../../../db/types';
import type { Db } from '../../storage/db';
import { type Actor, hasScope } from '../actor';

/**
 * The one access gate: every "may this actor see X" in HTTP routes, socket handlers and the collab
 * server is answered here, so a rule changes in one place. Hidden things answer not_found (not
 * forbidden): an agent does not learn that a conversation or contact in another inbox exists.
 */

/**
 * Which inboxes an actor may see: agents only the inboxes they are members of; supervisors, admins,
 * API keys (bounded by their scopes) and the system see all. `null` means all.
 */
export async function visibleInboxIds(db: Db, actor: Actor): Promise<string[] | null> {
  if (actor.kind !== 'user' || actor.role !== 'agent') return null;
  const rows = await db.selectFrom('inbox_members').select('inbox_id').where('user_id', '=', actor.id).execute();
  return rows.map((r) => r.inbox_id);
}

/** Every inbox whose queue the actor may watch: the visible ones, or all of them. */
export async function queueInboxIds(db: Db, actor: Actor): Promise<string[]> {
  const visible = await visibleInboxIds(db, actor);
  return visible ?? (await db.selectFrom('inboxes').select('id').execute()).map((r) => r.id);
}

export type CanSeeInboxProps = { actor: Actor; inboxId: string };

/** Whether the actor may see conversations of this inbox. */
export async function canSeeInbox(db: Db, { actor, inboxId }: CanSeeInboxProps): Promise<boolean> {
  const visible = await visibleInboxIds(db, actor);
  return !visible || visible.includes(inboxId);
}

export type AssertCanSeeInboxProps = { actor: Actor; inboxId: string };

/** Throws not_found unless the actor may see conversations of this inbox. */
export async function assertCanSeeInbox(db: Db, { actor, inboxId }: AssertCanSeeInboxProps): Promise<void> {
  if (!(await canSeeInbox(db, { actor, inboxId }))) throw new AppError('not_found', 'conversation not found');
}

export type CanSeeConversationProps = { actor: Actor; conversationId: string };

/** Whether the actor may see this conversation (false also when it does not exist). */
export async function canSeeConversation(db: Db, { actor, conversationId }: CanSeeConversationProps): Promise<boolean> {
  const conv = await db.selectFrom('conversations').select('inbox_id').where('id', '=', conversationId).executeTakeFirst();
  return conv ? canSeeInbox(db, { actor, inboxId: conv.inbox_id }) : false;
}

export type AssertCanSeeConversationProps = { actor: Actor; conversationId: string };

/** Throws not_found unless the actor may see the conversation; returns its inbox. */
export async function assertCanSeeConversation(
  db: Db,
  { actor, conversationId }: AssertCanSeeConversationProps,
): Promise<{ inboxId: string }> {
  const conv = await db.selectFrom('conversations').select('inbox_id').where('id', '=', conversationId).executeTakeFirst();
  if (!conv) throw new AppError('not_found', 'conversation not found');
  await assertCanSeeInbox(db, { actor, inboxId: conv.inbox_id });
  return { inboxId: conv.inbox_id };
}

export type VisitorCanSeeConversationProps = { visitor: { contactId: string; inboxId: string }; conversationId: string };

/**
 * A widget visitor sees only their own contact's conversations in the inbox of the website they came
 * from. (Written structurally: the visitor module builds on conversations, which build on this gate.)
 */
export async function visitorCanSeeConversation(
  db: Db,
  { visitor, conversationId }: VisitorCanSeeConversationProps,
): Promise<boolean> {
  const row = await db
    .selectFrom('conversations')
    .select('id')
    .where('id', '=', conversationId)
    .where('contact_id', '=', visitor.contactId)
    .where('inbox_id', '=', visitor.inboxId)
    .executeTakeFirst();
  return !!row;
}

/** Throws not_found unless the conversation is this visitor's own. */
export async function assertVisitorCanSeeConversation(db: Db, props: VisitorCanSeeConversationProps): Promise<void> {
  if (!(await visitorCanSeeConversation(db, props))) throw new AppError('not_found', 'conversation not found');
}

export type CustomerCanSeeConversationProps = { customer: { contactId: string }; conversationId: string };

/**
 * A portal customer sees every conversation of their own contact, on any channel and in any inbox
 * (the portal is the contact's one place), and nothing else.
 */
export async function customerCanSeeConversation(
  db: Db,
  { customer, conversationId }: CustomerCanSeeConversationProps,
): Promise<boolean> {
  const row = await db
    .selectFrom('conversations')
    .select('id')
    .where('id', '=', conversationId)
    .where('contact_id', '=', customer.contactId)
    .executeTakeFirst();
  return !!row;
}

/** Throws not_found unless the conversation is this portal customer's own. */
export async function assertCustomerCanSeeConversation(db: Db, props: CustomerCanSeeConversationProps): Promise<void> {
  if (!(await customerCanSeeConversation(db, props))) throw new AppError('not_found', 'conversation not found');
}

export type VisibleConversationIdsProps = { actor: Actor; ids: string[] };

/** Of these conversations, the ids the actor may see (one query, for lists and re-checks). */
export async function visibleConversationIds(db: Db, { actor, ids }: VisibleConversationIdsProps): Promise<string[]> {
  if (!ids.length) return [];
  const visible = await visibleInboxIds(db, actor);
  let q = db.selectFrom('conversations').select('id').where('id', 'in', ids);
  if (visible) {
    if (!visible.length) return [];
    q = q.where('inbox_id', 'in', visible);
  }
  return (await q.execute()).map((r) => r.id);
}

/** The supervisor firehose (every room live): supervisors, admins, and API keys with the admin scope. */
export function canSupervise(actor: Actor): boolean {
  return actor.kind === 'user' ? actor.role !== 'agent' : hasScope(actor, 'admin');
}

/**
 * A contact is scoped like its conversations: an agent sees a contact that has a conversation or a
 * widget visitor in one of the agent's inboxes, or that belongs to no inbox at all (created by hand
 * or through the API); a contact known only in other inboxes stays hidden.
 */
export function contactVisibleIn(visible: string[]) {
  return (eb: ExpressionBuilder<Database, 'contacts'>) => {
    const linkedTo = (inboxes: string[] | null) => {
      const conv = eb.selectFrom('conversations as vc').select(sql`1`.as('x')).whereRef('vc.contact_id', '=', 'contacts.id');
      const vis = eb.selectFrom('visitors as vv').select(sql`1`.as('x')).whereRef('vv.contact_id', '=', 'contacts.id');
      return inboxes
        ? eb.or([eb.exists(conv.where('vc.inbox_id', 'in', inboxes)), eb.exists(vis.where('vv.inbox_id', 'in', inboxes))])
        : eb.or([eb.exists(conv), eb.exists(vis)]);
    };
    return visible.length ? eb.or([eb.not(linkedTo(null)), linkedTo(visible)]) : eb.not(linkedTo(null));
  };
}

export type AssertCanSeeContactProps = { actor: Actor; contactId: string };

/** Throws not_found unless the actor may see the contact. */
export async function assertCanSeeContact(db: Db, { actor, contactId }: AssertCanSeeContactProps): Promise<void> {
  const visible = await visibleInboxIds(db, actor);
  let q = db.selectFrom('contacts').select('id').where('id', '=', contactId);
  if (visible) q = q.where(contactVisibleIn(visible));
  if (!(await q.executeTakeFirst())) throw new AppError('not_found', 'contact not found');
}
