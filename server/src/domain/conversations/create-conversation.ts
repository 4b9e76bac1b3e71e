import { AppError, type Conversation, type ConversationCreate, type Message, type RoomOwner } from '@autocrm/shared';
import { sql } from 'kysely';
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
    // The inbox and a named contact in one statement (a contact the actor may not see answers like one
    // that does not exist).
    const contactRef = input.contactId;
    const visible = contactRef ? await visibleInboxIds(trx, actor) : null;
    const inbox = await trx
      .selectFrom('inboxes')
      .select(['id', 'channel'])
      .$if(!!contactRef, (q) =>
        q.select((eb) => {
          let c = eb
            .selectFrom('contacts')
            .select('contacts.id')
            .where('contacts.id', '=', contactRef as string);
          if (visible) c = c.where(contactVisibleIn(visible));
          return c.as('contact_id');
        }),
      )
      .where('id', '=', input.inboxId)
      .executeTakeFirst();
    if (!inbox)
      throw new AppError('validation_failed', 'inboxId: unknown inbox', [{ path: 'inboxId', message: 'unknown inbox' }]);
    await assertCanSeeInbox(trx, { actor, inboxId: inbox.id });

    let contactId: string;
    if (contactRef) {
      const found = inbox.contact_id;
      if (!found)
        throw new AppError('validation_failed', 'contactId: unknown contact', [
          { path: 'contactId', message: 'unknown contact' },
        ]);
      contactId = found;
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
    // The conversation, its first owner and its first status in one statement (the two histories are
    // read from the row as written).
    const row = await trx
      .with('c', (db) =>
        db
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
          .returningAll(),
      )
      .with('o', (db) =>
        db
          .insertInto('conversation_ownership')
          .columns(['conversation_id', 'from_owner', 'to_owner', 'reason', 'at'])
          .expression((eb) =>
            eb
              .selectFrom('c')
              .select(['c.id', sql<null>`NULL`.as('from_owner'), 'c.owner', sql.lit('created').as('reason'), 'c.created_at']),
          ),
      )
      .with('h', (db) =>
        db
          .insertInto('status_history')
          .columns(['conversation_id', 'from_status_id', 'to_status_id', 'actor', 'at'])
          .expression((eb) =>
            eb
              .selectFrom('c')
              .select([
                'c.id',
                sql<null>`NULL`.as('from_status_id'),
                'c.status_id',
                eb.val(actorLabel(actor)).as('actor'),
                'c.created_at',
              ]),
          ),
      )
      .selectFrom('c')
      .selectAll()
      .executeTakeFirstOrThrow();

    const tagged = !!input.tags?.length;
    if (input.tags?.length)
      await setConversationTags(trx, { conversationId: row.id, tagIds: await resolveTagIds(trx, input.tags) });

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
