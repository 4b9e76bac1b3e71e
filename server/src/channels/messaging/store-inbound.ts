import { createHash } from 'node:crypto';
import { MAX_MESSAGE_CHARS } from '@autocrm/shared';
import { SYSTEM } from '../../domain/actor';
import { createContact } from '../../domain/contacts/contacts';
import { findContactByIdentity, type IdentityKey, normalizeIdentity, rememberIdentities } from '../../domain/contacts/identities';
import { createConversationInTransaction } from '../../domain/conversations/create-conversation';
import { appendMessage, inSendTransaction } from '../../domain/messages/append-message';
import type { Db } from '../../storage/db';
import { messagingBotEnabled } from './messaging-bot';

export interface InboundChannelMessage {
  inboxId: string;
  provider: string;
  /** The provider's id of the message: a redelivery with the same id is stored once. */
  externalId: string;
  /** The customer's address on the channel (an E.164 number for SMS and WhatsApp, a PSID for Messenger). */
  from: string;
  /**
   * Who the sender is, most specific first (WhatsApp: the WhatsApp number, then the phone number): the
   * first one a contact holds names the contact; a new contact gets them all.
   */
  identities: IdentityKey[];
  to: string;
  text: string;
  attachments: { name: string; contentType: string; size: number; url: string }[];
  /**
   * When the provider says the customer sent it (WhatsApp's and Messenger's `timestamp`), if it says:
   * Meta's messaging windows count from it, not from when a (possibly redelivered) webhook reached us.
   */
  sentAt?: Date | undefined;
  /** What else the row keeps (`instagram: true` for an Instagram message, which shares Messenger's provider). */
  payload?: { [key: string]: unknown } | undefined;
  /** A name the channel gives the customer (WhatsApp's profile name), used for a new contact. */
  contactName?: string | undefined;
  /** Extra work in the same transaction, once the message is stored (e.g. an opt-out). */
  alsoInTransaction?: (trx: Db) => Promise<void>;
}

export type StoreInboundOutcome =
  | { kind: 'stored'; conversationId: string; messageId: string; created: boolean }
  | { kind: 'duplicate' };

/**
 * One verified inbound message of a messaging channel → the same commands a widget message uses: the
 * customer's number is the contact (the same contact on every channel with that number), the message
 * threads into their latest conversation in this inbox (a resolved one reopens through the usual
 * lifecycle) or opens one. Recorded in `channel_messages`, once per provider id.
 */
export function storeInbound(db: Db, m: InboundChannelMessage): Promise<StoreInboundOutcome> {
  const body = m.text.slice(0, MAX_MESSAGE_CHARS).trim();
  return inSendTransaction(db, async (trx) => {
    const stored = await trx
      .insertInto('channel_messages')
      .values({
        inbox_id: m.inboxId,
        provider: m.provider,
        direction: 'in',
        external_id: m.externalId,
        from_address: m.from,
        to_address: m.to,
        body,
        media: JSON.stringify(m.attachments.map((a) => ({ url: a.url, contentType: a.contentType }))),
        status: 'received',
        sent_at: m.sentAt ?? null,
        payload: m.payload ? JSON.stringify(m.payload) : null,
      })
      .onConflict((oc) => oc.columns(['provider', 'direction', 'external_id']).where('external_id', 'is not', null).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!stored) return { kind: 'duplicate' } as const;
    await m.alsoInTransaction?.(trx);

    const contact = await contactByIdentity(trx, m.identities, m.contactName);
    const latest = await trx
      .selectFrom('conversations')
      .select('id')
      .where('inbox_id', '=', m.inboxId)
      .where('contact_id', '=', contact.id)
      .where('merged_into_id', 'is', null)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    const clientId = `${m.provider}:${createHash('sha256').update(`${m.provider}:${m.externalId}`).digest('hex').slice(0, 40)}`;
    const attachments = m.attachments.length ? m.attachments : undefined;
    let conversationId: string;
    let created = false;
    if (latest) {
      await appendMessage(trx, {
        conversationId: latest.id,
        authorKind: 'contact',
        authorId: contact.id,
        body: body || ' ',
        clientId,
        attachments,
      });
      conversationId = latest.id;
    } else {
      const conv = await createConversationInTransaction(trx, {
        actor: SYSTEM,
        owner: (await messagingBotEnabled(trx, m.inboxId)) ? 'bot' : 'human',
        input: {
          inboxId: m.inboxId,
          contactId: contact.id,
          message: { body: body || ' ', clientId, ...(attachments ? { attachments } : {}) },
        },
      });
      conversationId = conv.id;
      created = true;
    }
    const msg = await trx
      .selectFrom('messages')
      .select('id')
      .where('conversation_id', '=', conversationId)
      .where('client_id', '=', clientId)
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('channel_messages')
      .set({ conversation_id: conversationId, message_id: msg.id })
      .where('id', '=', stored.id)
      .execute();
    return { kind: 'stored', conversationId, messageId: msg.id, created } as const;
  });
}

/** The contact known by one of these identities (erased ones never), or a new one; either way it keeps them all. */
async function contactByIdentity(trx: Db, identities: IdentityKey[], name: string | undefined) {
  const found = await findContactByIdentity(trx, identities);
  const phone = identities.find((k) => k.kind === 'phone');
  const id =
    found ??
    (
      await createContact(trx, {
        actor: SYSTEM,
        input: {
          ...(phone ? { phone: normalizeIdentity('phone', phone.value) } : {}),
          ...(name ? { name: name.slice(0, 200) } : {}),
        },
      })
    ).id;
  await rememberIdentities(trx, { contactId: id, identities: identities.map((k) => ({ ...k, verified: true })) });
  return { id };
}
