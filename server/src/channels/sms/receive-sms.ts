import { createHash } from 'node:crypto';
import { MAX_MESSAGE_CHARS } from '@autocrm/shared';
import type { Logger } from 'pino';
import { SYSTEM } from '../../domain/actor';
import { createContact } from '../../domain/contacts/contacts';
import { createConversationInTransaction } from '../../domain/conversations/create-conversation';
import { appendMessage, inSendTransaction } from '../../domain/messages/append-message';
import { uploadPath } from '../../domain/widget/upload-links';
import { storeUpload, UPLOAD_MAX_BYTES, type UploadLocation } from '../../domain/widget/uploads';
import type { Db } from '../../storage/db';
import { optInOutKeyword, setOptOut } from './opt-outs';
import type { SmsInbox } from './sms-settings';
import { fetchTwilioMedia } from './twilio-client';

export interface ReceiveSmsContext {
  db: Db;
  attachmentsDir: UploadLocation;
  publicBaseUrl: () => string;
  mediaHosts: string[];
  logger: Logger;
}

export type ReceiveSmsOutcome =
  | { kind: 'stored'; conversationId: string; messageId: string; created: boolean }
  | { kind: 'duplicate' }
  | { kind: 'ignored'; reason: string };

/**
 * One verified inbound SMS/MMS (Twilio's webhook parameters) → the same commands a widget message
 * uses: the sender's number is the contact, the message threads into their latest conversation in this
 * inbox (a resolved one reopens through the usual lifecycle) or opens one. A redelivered MessageSid is
 * stored once. STOP/START keywords record the opt-out and are kept in the room like any text.
 */
export async function receiveSms(
  ctx: ReceiveSmsContext,
  inbox: SmsInbox,
  params: Record<string, string>,
): Promise<ReceiveSmsOutcome> {
  const sid = params.MessageSid ?? params.SmsSid;
  const from = params.From?.trim();
  if (!sid || !from) return { kind: 'ignored', reason: 'no MessageSid or From' };
  const text = (params.Body ?? '').slice(0, MAX_MESSAGE_CHARS);

  const already = await ctx.db
    .selectFrom('channel_messages')
    .select('id')
    .where('provider', '=', 'twilio')
    .where('direction', '=', 'in')
    .where('external_id', '=', sid)
    .executeTakeFirst();
  if (already) return { kind: 'duplicate' };

  // Media first, outside the transaction (plain files); one that cannot be fetched is named in the text.
  const { attachments, failed } = await fetchMedia(ctx, inbox, params);
  const body = [text, failed ? `(${failed} attachment${failed > 1 ? 's' : ''} could not be received)` : '']
    .filter(Boolean)
    .join('\n')
    .trim();

  const keyword = optInOutKeyword(text, params.OptOutType);
  return inSendTransaction(ctx.db, async (trx) => {
    const stored = await trx
      .insertInto('channel_messages')
      .values({
        inbox_id: inbox.id,
        provider: 'twilio',
        direction: 'in',
        external_id: sid,
        from_address: from,
        to_address: params.To ?? '',
        body: text,
        media: JSON.stringify(attachments.map((a) => ({ url: a.url, contentType: a.contentType }))),
        status: 'received',
      })
      .onConflict((oc) => oc.columns(['provider', 'direction', 'external_id']).where('external_id', 'is not', null).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!stored) return { kind: 'duplicate' } as const;
    if (keyword) await setOptOut(trx, { inboxId: inbox.id, address: from, optedOut: keyword === 'stop' });

    const contact = await contactByPhone(trx, from);
    const latest = await trx
      .selectFrom('conversations')
      .select('id')
      .where('inbox_id', '=', inbox.id)
      .where('contact_id', '=', contact.id)
      .where('merged_into_id', 'is', null)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    const clientId = `sms:${createHash('sha256').update(`twilio:${sid}`).digest('hex').slice(0, 40)}`;
    const message = { body: body || ' ', clientId, ...(attachments.length ? { attachments } : {}) };
    let conversationId: string;
    let created = false;
    if (latest) {
      await appendMessage(trx, {
        conversationId: latest.id,
        authorKind: 'contact',
        authorId: contact.id,
        body: message.body,
        clientId,
        attachments: message.attachments,
      });
      conversationId = latest.id;
    } else {
      const conv = await createConversationInTransaction(trx, {
        actor: SYSTEM,
        input: { inboxId: inbox.id, contactId: contact.id, message },
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

/** The contact with this number (numbers arrive in E.164 from Twilio), or a new one named by it. */
async function contactByPhone(trx: Db, phone: string) {
  const found = await trx
    .selectFrom('contacts')
    .select('id')
    .where('phone', '=', phone)
    .where('erased_at', 'is', null)
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
  return found ?? createContact(trx, SYSTEM, { phone });
}

async function fetchMedia(ctx: ReceiveSmsContext, inbox: SmsInbox, params: Record<string, string>) {
  const count = Math.min(Number(params.NumMedia ?? 0) || 0, 10);
  const attachments: { name: string; contentType: string; size: number; url: string }[] = [];
  let failed = 0;
  for (let i = 0; i < count; i++) {
    const url = params[`MediaUrl${i}`];
    if (!url) continue;
    try {
      const media = await fetchTwilioMedia(url, { inbox, allowedHosts: ctx.mediaHosts, maxBytes: UPLOAD_MAX_BYTES });
      const contentType = (params[`MediaContentType${i}`] ?? media.contentType).split(';')[0]!.trim();
      const stored = await storeUpload(ctx.attachmentsDir, {
        name: `${contentType.startsWith('image/') ? 'image' : 'file'}-${i + 1}`,
        contentType,
        bytes: media.bytes,
      });
      attachments.push({
        name: stored.name,
        contentType: stored.contentType,
        size: stored.size,
        url: `${ctx.publicBaseUrl()}${uploadPath(stored)}`,
      });
    } catch (err) {
      failed += 1;
      ctx.logger.info({ err: (err as Error).message }, 'SMS media not stored');
    }
  }
  return { attachments, failed };
}
