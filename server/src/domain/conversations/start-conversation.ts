import { AppError, type Conversation, type StartConversationInput } from '@autocrm/shared';
import type { Db } from '../../storage/db';
import { assertCanSeeContact, assertCanSeeInbox } from '../access/gate';
import type { Actor } from '../actor';
import { createConversationInTransaction } from './create-conversation';

const invalid = (path: string, message: string) => new AppError('validation_failed', `${path}: ${message}`, [{ path, message }]);

export type StartConversationProps = { actor: Actor; input: StartConversationInput };

/**
 * An agent starts a conversation: its first message is the agent's, so it goes out like any agent
 * reply of that inbox. In an email inbox the contact (existing, or new by address) needs an email
 * address, and the channel's outbound mails it. In a chat inbox the contact must already have used
 * that inbox's widget: the conversation waits in their widget's list for their next visit. The agent
 * who starts it is its assignee unless another is named.
 */
export async function startConversation(db: Db, { actor, input }: StartConversationProps): Promise<Conversation> {
  return db.transaction().execute(async (trx) => {
    const inbox = await trx.selectFrom('inboxes').select(['id', 'channel']).where('id', '=', input.inboxId).executeTakeFirst();
    if (!inbox) throw invalid('inboxId', 'unknown inbox');
    await assertCanSeeInbox(trx, { actor, inboxId: inbox.id });
    if (inbox.channel !== 'email' && inbox.channel !== 'web') {
      throw invalid('inboxId', `conversations are started in email or chat inboxes (this one is ${inbox.channel})`);
    }

    const contactId = input.contactId;
    if (contactId) {
      await assertCanSeeContact(trx, { actor, contactId }).catch(() => {
        throw invalid('contactId', 'unknown contact');
      });
    }
    if (inbox.channel === 'email') {
      const email = contactId
        ? (await trx.selectFrom('contacts').select('email').where('id', '=', contactId).executeTakeFirst())?.email
        : input.contact?.email;
      if (!email) throw invalid(contactId ? 'contactId' : 'contact.email', 'an email inbox needs the contact’s email address');
    } else {
      if (!contactId) throw invalid('contactId', 'a chat inbox reaches only a known contact: pick one who used its widget');
      const visitor = await trx
        .selectFrom('visitors')
        .select('id')
        .where('contact_id', '=', contactId)
        .where('inbox_id', '=', inbox.id)
        .executeTakeFirst();
      if (!visitor) throw invalid('contactId', 'this contact has never used this inbox’s widget: write to them by email');
    }

    return createConversationInTransaction(trx, {
      actor,
      owner: 'human',
      input: {
        inboxId: inbox.id,
        ...(contactId ? { contactId } : { contact: input.contact ?? {} }),
        ...(input.subject ? { subject: input.subject } : {}),
        assigneeId: input.assigneeId !== undefined ? input.assigneeId : actor.kind === 'user' ? actor.id : null,
        message: {
          body: input.body,
          from: 'agent',
          ...(input.clientId ? { clientId: input.clientId } : {}),
        },
      },
    });
  });
}
