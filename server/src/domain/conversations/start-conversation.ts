import { AppError, type Conversation, type StartConversationInput } from '@autocrm/shared';
import type { Db } from '../../storage/db';
import { assertCanSeeContact, assertCanSeeInbox } from '../access/gate';
import type { Actor } from '../actor';
import { appendMessage } from '../messages/append-message';
import { createConversationInTransaction } from './create-conversation';
import { reachableAddresses } from './reply-channels';

/** Channels whose conversations an agent starts with a contact's identity (phone number, WhatsApp, PSID). */
const MESSAGING = ['sms', 'whatsapp', 'messenger'];

const invalid = (path: string, message: string) => new AppError('validation_failed', `${path}: ${message}`, [{ path, message }]);

export type StartConversationProps = { actor: Actor; input: StartConversationInput };

/**
 * An agent starts a conversation: its first message is the agent's, so it goes out like any agent
 * reply of that inbox. In an email inbox the contact (existing, or new by address) needs an email
 * address, and the channel's outbound mails it. In a chat inbox the contact must already have used
 * that inbox's widget: the conversation waits in their widget's list for their next visit. The agent
 * who starts it is its assignee unless another is named. In an SMS, WhatsApp or Messenger inbox the
 * contact needs an identity that channel reaches (a phone number, a WhatsApp number, a PSID of that page).
 */
export async function startConversation(db: Db, { actor, input }: StartConversationProps): Promise<Conversation> {
  return db.transaction().execute(async (trx) => {
    const inbox = await trx.selectFrom('inboxes').select(['id', 'channel']).where('id', '=', input.inboxId).executeTakeFirst();
    if (!inbox) throw invalid('inboxId', 'unknown inbox');
    await assertCanSeeInbox(trx, { actor, inboxId: inbox.id });
    if (input.loggedVia) return logConversation(trx, { actor, input, inboxId: inbox.id });
    if (!['email', 'web', ...MESSAGING].includes(inbox.channel)) {
      throw invalid('inboxId', `conversations are started in email, chat or messaging inboxes (this one is ${inbox.channel})`);
    }

    const contactId = input.contactId;
    if (contactId) {
      await assertCanSeeContact(trx, { actor, contactId }).catch(() => {
        throw invalid('contactId', 'unknown contact');
      });
    }
    if (inbox.channel === 'email') {
      let email = contactId
        ? (await trx.selectFrom('contacts').select('email').where('id', '=', contactId).executeTakeFirst())?.email
        : input.contact?.email;
      if (!email && contactId) {
        // Known by an email identity only (added by hand, or met on another channel): that address becomes the
        // contact's email, which the email channel writes to. No other contact holds it (identities are unique).
        email = (await reachableAddresses(trx, { contactId, inboxId: inbox.id, channel: 'email' }))[0];
        if (email) await trx.updateTable('contacts').set({ email, updated_at: new Date() }).where('id', '=', contactId).execute();
      }
      if (!email) throw invalid(contactId ? 'contactId' : 'contact.email', 'an email inbox needs the contact’s email address');
    } else if (MESSAGING.includes(inbox.channel)) {
      if (!contactId) throw invalid('contactId', `a ${inbox.channel} inbox reaches only a known contact`);
      const addresses = await reachableAddresses(trx, { contactId, inboxId: inbox.id, channel: inbox.channel });
      if (!addresses.length) throw invalid('contactId', `this contact has no address this ${inbox.channel} inbox can reach`);
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
          ...(input.attachments?.length ? { attachments: input.attachments } : {}),
        },
      },
    });
  });
}

/**
 * A phone call or a walk-in that already happened, logged by the agent: in any inbox they can see (for
 * its team and reports), with any contact (existing, or new by name, phone or email). The agent's
 * summary is the first message, kept as an internal note so no channel sends it to the customer. The
 * conversation's channel is the call or visit, in lists, the room and the API.
 */
async function logConversation(
  trx: Db,
  props: { actor: Actor; input: StartConversationInput; inboxId: string },
): Promise<Conversation> {
  const { actor, input } = props;
  if (input.contactId) {
    await assertCanSeeContact(trx, { actor, contactId: input.contactId }).catch(() => {
      throw invalid('contactId', 'unknown contact');
    });
  }
  const created = await createConversationInTransaction(trx, {
    actor,
    owner: 'human',
    input: {
      inboxId: props.inboxId,
      ...(input.contactId ? { contactId: input.contactId } : { contact: input.contact ?? {} }),
      ...(input.subject ? { subject: input.subject } : {}),
      assigneeId: input.assigneeId !== undefined ? input.assigneeId : actor.kind === 'user' ? actor.id : null,
    },
    loggedVia: input.loggedVia ?? null,
  });
  const appended = await appendMessage(trx, {
    conversationId: created.id,
    authorKind: 'agent',
    authorId: actor.kind === 'user' ? actor.id : null,
    private: true,
    body: input.body,
    ...(input.clientId ? { clientId: input.clientId } : {}),
    ...(input.attachments?.length ? { attachments: input.attachments } : {}),
  });
  return appended.conversation ?? created;
}
