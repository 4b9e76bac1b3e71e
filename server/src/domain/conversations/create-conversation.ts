import { AppError, type Conversation, type ConversationCreate, type Message, type RoomOwner } from '@autocrm/shared';
import { emit } from '../../events/outbox';
import type { Db } from '../../storage/db';
import { assertCanSeeInbox, contactVisibleIn, visibleInboxIds } from '../access/gate';
import { type Actor, actorLabel } from '../actor';
import { recordAudit } from '../audit/record-audit';
import { createContact, findOrCreateContact } from '../contacts/contacts';
import { appendMessage } from '../messages/append-message';
import { applyCustomFieldChanges } from './custom-fields';
import { conversationFromRow, presentConversation } from './present-conversation';
import { assertAssignable, assertTeam, resolveStatus } from './references';
import { resolveTagIds, setConversationTags } from './tags';

export interface CreateConversationProps {
  actor: Actor;
  input: ConversationCreate;
  /** Who answers first: the bot for widget conversations in inboxes with the bot on. Default: a person. */
  owner?: RoomOwner;
  locale?: string | null;
  /** A logged phone call or walk-in: the conversation's own channel. */
  loggedVia?: 'phone' | 'walk_in' | null;
  /** Opened by the customer in the portal: only customer-visible custom fields apply. */
  byCustomer?: boolean;
}

/** Opens a ticket: contact, status, tags, custom fields and an optional first message, all or nothing. */
export async function createConversation(db: Db, props: CreateConversationProps): Promise<Conversation> {
  return db.transaction().execute((trx) => createConversationInTransaction(trx, props));
}

/** The same, inside a transaction the caller already holds. */
export async function createConversationInTransaction(trx: Db, props: CreateConversationProps): Promise<Conversation> {
  return (await openConversationInTransaction(trx, props)).conversation;
}

/** The same, with the first message as stored (a caller answering with its id and seq need not read it back). */
export async function openConversationInTransaction(
  trx: Db,
  { actor, input, owner, locale, loggedVia, byCustomer }: CreateConversationProps,
): Promise<{ conversation: Conversation; message?: Message | undefined }> {
  {
    const inbox = await trx.selectFrom('inboxes').select(['id', 'channel']).where('id', '=', input.inboxId).executeTakeFirst();
    if (!inbox)
      throw new AppError('validation_failed', 'inboxId: unknown inbox', [{ path: 'inboxId', message: 'unknown inbox' }]);
    await assertCanSeeInbox(trx, { actor, inboxId: inbox.id });

    let contactId: string;
    if (input.contactId) {
      // A contact the actor may not see answers like one that does not exist.
      const visible = await visibleInboxIds(trx, actor);
      let q = trx.selectFrom('contacts').select('id').where('id', '=', input.contactId);
      if (visible) q = q.where(contactVisibleIn(visible));
      const c = await q.executeTakeFirst();
      if (!c)
        throw new AppError('validation_failed', 'contactId: unknown contact', [
          { path: 'contactId', message: 'unknown contact' },
        ]);
      contactId = c.id;
    } else if (input.contact) {
      contactId = (await findOrCreateContact(trx, { actor, input: input.contact })).id;
    } else {
      contactId = (await createContact(trx, { actor, input: {} })).id;
    }

    const status = await resolveStatus(trx, input.statusId);
    if (input.assigneeId) await assertAssignable(trx, input.assigneeId);
    if (input.teamId) await assertTeam(trx, input.teamId);
    const customFields = await applyCustomFieldChanges(trx, {
      current: {},
      changes: input.customFields ?? {},
      opts: { creating: true, customer: byCustomer ?? false },
    });

    const now = new Date();
    const row = await trx
      .insertInto('conversations')
      .values({
        subject: input.subject ?? null,
        inbox_id: inbox.id,
        contact_id: contactId,
        status_id: status.id,
        status_category: status.category,
        priority: input.priority ?? 'normal',
        assignee_id: input.assigneeId ?? null,
        team_id: input.teamId ?? null,
        custom_fields: JSON.stringify(customFields),
        created_at: now,
        updated_at: now,
        last_activity_at: now,
        resolved_at: status.category === 'resolved' || status.category === 'closed' ? now : null,
        owner: owner ?? 'human',
        locale: locale ?? null,
        logged_via: loggedVia ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();

    const tagged = !!input.tags?.length;
    if (input.tags?.length)
      await setConversationTags(trx, { conversationId: row.id, tagIds: await resolveTagIds(trx, input.tags) });
    await trx
      .insertInto('conversation_ownership')
      .values({ conversation_id: row.id, from_owner: null, to_owner: owner ?? 'human', reason: 'created', at: now })
      .execute();
    await trx
      .insertInto('status_history')
      .values({ conversation_id: row.id, from_status_id: null, to_status_id: status.id, actor: actorLabel(actor), at: now })
      .execute();

    // Without tags everything the API shows is in hand: the row just written, its status and inbox.
    const created = tagged
      ? await presentConversation(trx, row.id)
      : conversationFromRow({ ...row, status_name: status.name, channel: inbox.channel, tag_names: [] });
    if (!created) throw new Error('conversation vanished inside its own transaction');
    await emit(trx, 'conversation.created', { conversation: created });
    await recordAudit(trx, {
      actor,
      action: 'conversation.created',
      entityType: 'conversation',
      entityId: row.id,
      after: created,
    });

    if (input.message) {
      const fromContact = (input.message.from ?? 'contact') === 'contact';
      const appended = await appendMessage(trx, {
        conversationId: row.id,
        authorKind: fromContact ? 'contact' : 'agent',
        authorId: fromContact ? contactId : actor.kind === 'user' ? actor.id : null,
        body: input.message.body,
        private: input.message.private,
        clientId: input.message.clientId,
        attachments: input.message.attachments,
      });
      // The first message changed the conversation (seq, activity, waiting time): return it as it is now.
      return { conversation: appended.conversation ?? created, message: appended.message };
    }
    return { conversation: created };
  }
}
