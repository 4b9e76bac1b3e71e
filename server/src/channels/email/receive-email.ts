import { createHash } from 'node:crypto';
import { AppError, MAX_MESSAGE_CHARS } from '@autocrm/shared';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import type { Logger } from 'pino';
import type { EmailAddressRow } from '../../../../db/types';
import { SYSTEM } from '../../domain/actor';
import { findOrCreateContact } from '../../domain/contacts/contacts';
import { createConversationInTransaction } from '../../domain/conversations/create-conversation';
import { appendMessage, inSendTransaction } from '../../domain/messages/append-message';
import { htmlToPlainText, sanitizeRichText } from '../../domain/text/sanitize';
import { uploadPath } from '../../domain/widget/upload-links';
import type { UploadLocation } from '../../domain/widget/uploads';
import { storeUpload } from '../../domain/widget/uploads';
import type { Db } from '../../storage/db';
import { classifyMail, type IgnoreReason } from './classify-mail';
import { deliveryAddress, type EmailInbox, listEmailInboxes, splitPlusAddress } from './inbox-addresses';
import { stripReply } from './strip-reply';
import type { ThreadTokens } from './thread-token';

export interface InboundContext {
  db: Db;
  tokens: ThreadTokens;
  attachmentsDir: UploadLocation;
  publicBaseUrl: () => string;
  logger: Logger;
}

export interface InboundMail {
  raw: Buffer;
  /** SMTP's MAIL FROM: empty for bounces; null when unknown (IMAP). */
  envelopeFrom: string | null;
  /** SMTP's RCPT TO (or, for IMAP, the inbox the mailbox belongs to). */
  recipients: string[];
}

export type InboundOutcome =
  | { kind: 'stored'; conversationId: string; messageId: string; created: boolean }
  | { kind: 'duplicate' }
  | { kind: 'ignored'; reason: IgnoreReason }
  | { kind: 'no_inbox' };

const addresses = (a: AddressObject | AddressObject[] | undefined): EmailAddressRow[] =>
  (Array.isArray(a) ? a : a ? [a] : [])
    .flatMap((o) => o.value)
    .filter((v) => v.address)
    .map((v) => ({ address: v.address!.toLowerCase(), name: v.name || null }));

/** The email inbox a mail is for: a recipient (or To/Cc) that is an inbox address, plus tags allowed. */
export function findInbox(
  inboxes: EmailInbox[],
  candidates: string[],
): { inbox: EmailInbox; tag: string | undefined } | undefined {
  for (const c of candidates) {
    const { base, tag } = splitPlusAddress(c);
    const inbox = inboxes.find((i) => i.address === base);
    if (inbox) return { inbox, tag };
  }
  return undefined;
}

const cleanSubject = (s: string | undefined) =>
  (s ?? '')
    .replace(/^\s*((re|fw|fwd|aw|wg|sv|tr)\s*(\[\d+\])?\s*:\s*)+/i, '')
    .trim()
    .slice(0, 250) || null;

/**
 * One received mail → the same domain commands a widget message uses: the sender is the contact
 * (one per address), the mail opens a conversation or threads into one, and it is stored with its
 * original beside it. Duplicates of a Message-ID are stored once; automatic mail is kept but never
 * opens or answers anything.
 */
export async function receiveEmail(ctx: InboundContext, mail: InboundMail): Promise<InboundOutcome> {
  // cid: links kept, so inline images point at their stored copy instead of a data: URI.
  const parsed = await simpleParser(mail.raw, { keepCidLinks: true });
  const inboxes = await listEmailInboxes(ctx.db);
  const to = addresses(parsed.to);
  const cc = addresses(parsed.cc);
  const target = findInbox(inboxes, [...mail.recipients, ...to.map((a) => a.address), ...cc.map((a) => a.address)]);
  if (!target) return { kind: 'no_inbox' };
  const sender = addresses(parsed.from)[0];
  // A mail without a Message-ID is identified by its content, so a redelivery is still stored once.
  const rfcId = parsed.messageId?.trim() || `<${createHash('sha256').update(mail.raw).digest('hex')}@autocrm.invalid>`;
  const refs = [
    ...(typeof parsed.references === 'string' ? [parsed.references] : (parsed.references ?? [])),
    ...(parsed.inReplyTo ? [parsed.inReplyTo] : []),
  ]
    .flatMap((r) => r.split(/\s+/))
    .filter(Boolean)
    .slice(-50);
  const record = {
    inbox_id: target.inbox.id,
    direction: 'in' as const,
    rfc_message_id: rfcId.slice(0, 998),
    in_reply_to: parsed.inReplyTo?.slice(0, 998) ?? null,
    refs: JSON.stringify(refs),
    from_address: sender?.address ?? '',
    from_name: sender?.name ?? null,
    to_addresses: JSON.stringify(to),
    cc_addresses: JSON.stringify(cc),
    subject: parsed.subject?.slice(0, 998) ?? null,
    raw: mail.raw,
  };

  const ignored = classifyMail(parsed, mail.envelopeFrom, (id) => ctx.tokens.isOurs(id));
  if (ignored) {
    const row = await ctx.db
      .insertInto('email_messages')
      .values({ ...record, status: 'ignored', status_reason: ignored })
      .onConflict((oc) => oc.column('rfc_message_id').where('direction', '=', 'in').doNothing())
      .returning('id')
      .executeTakeFirst();
    return row ? { kind: 'ignored', reason: ignored } : { kind: 'duplicate' };
  }
  const from = sender!;

  // Files first (outside the transaction: they are plain files; an unaccepted type stays in the raw mail).
  const { attachments, html } = await storeAttachments(ctx, parsed);
  const fullHtml = html ? sanitizeRichText(html) : null;
  const fullText = (parsed.text ?? (fullHtml ? htmlToPlainText(fullHtml) : '')).trim();
  const { text } = stripReply(fullText);
  const body = (text || (attachments.length ? '' : '(empty email)')).slice(0, MAX_MESSAGE_CHARS);

  return inSendTransaction(ctx.db, async (trx) => {
    const stored = await trx
      .insertInto('email_messages')
      .values({ ...record, status: 'received', full_html: fullHtml, full_text: fullText })
      .onConflict((oc) => oc.column('rfc_message_id').where('direction', '=', 'in').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!stored) return { kind: 'duplicate' } as const;

    const thread = await threadOf(trx, ctx.tokens, { tag: target.tag, refs, sender: from.address });
    const conversationId = thread?.id;
    const contact =
      (thread?.signed ? await visitorWhoAnswered(trx, thread.id, from.address) : undefined) ??
      (await findOrCreateContact(trx, {
        actor: SYSTEM,
        input: { email: from.address, ...(from.name ? { name: from.name } : {}) },
      }));
    const clientId = `email:${createHash('sha256').update(rfcId).digest('hex').slice(0, 40)}`;
    let created = false;
    let messageId: string;
    let convId: string;
    const input = { body: body || ' ', clientId, ...(attachments.length ? { attachments } : {}) };
    if (conversationId) {
      const appended = await appendMessage(trx, {
        conversationId,
        authorKind: 'contact',
        authorId: contact.id,
        body: input.body,
        clientId,
        attachments: input.attachments,
      });
      messageId = appended.message.id;
      convId = conversationId;
    } else {
      const conv = await createConversationInTransaction(trx, {
        actor: SYSTEM,
        input: {
          inboxId: target.inbox.id,
          contactId: contact.id,
          subject: cleanSubject(parsed.subject) ?? undefined,
          message: input,
        },
      });
      const msg = await trx
        .selectFrom('messages')
        .select('id')
        .where('conversation_id', '=', conv.id)
        .where('client_id', '=', clientId)
        .executeTakeFirstOrThrow();
      messageId = msg.id;
      convId = conv.id;
      created = true;
      // Whoever the customer copied stays on the thread for our replies.
      const copied = [...to, ...cc].filter((a) => a.address !== from.address && !isInboxAddress(a.address, [target.inbox]));
      if (copied.length) {
        await trx
          .insertInto('email_threads')
          .values({ conversation_id: conv.id, cc: JSON.stringify(copied.slice(0, 20)) })
          .execute();
      }
    }
    await trx
      .updateTable('email_messages')
      .set({ conversation_id: convId, message_id: messageId })
      .where('id', '=', stored.id)
      .execute();
    return { kind: 'stored', conversationId: convId, messageId, created } as const;
  }).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'not_found') throw new Error('the threaded conversation vanished');
    throw err;
  });
}

const isInboxAddress = (address: string, inboxes: EmailInbox[]) =>
  inboxes.some((i) => i.address === splitPlusAddress(address).base);

/**
 * Which conversation a mail answers. Our signed tokens (in the plus-address it was sent to, or in one
 * of our Message-IDs it references) are proof; a reference to an earlier mail of the customer's
 * counts only for the same sender, so quoting someone else's Message-ID opens nothing of theirs.
 */
async function threadOf(
  trx: Db,
  tokens: ThreadTokens,
  props: { tag: string | undefined; refs: string[]; sender: string },
): Promise<{ id: string; signed: boolean } | undefined> {
  const candidates: string[] = [];
  if (props.tag) {
    const c = tokens.verify(props.tag);
    if (c) candidates.push(c);
  }
  for (const r of [...props.refs].reverse()) {
    const c = tokens.conversationOfMessageId(r);
    if (c) candidates.push(c);
  }
  for (const id of candidates) {
    const exists = await trx.selectFrom('conversations').select('id').where('id', '=', id).executeTakeFirst();
    if (exists) return { id: exists.id, signed: true };
  }
  if (props.refs.length) {
    const earlier = await trx
      .selectFrom('email_messages')
      .select('conversation_id')
      .where('direction', '=', 'in')
      .where('status', '=', 'received')
      .where('from_address', '=', props.sender)
      .where('rfc_message_id', 'in', props.refs)
      .where('conversation_id', 'is not', null)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (earlier?.conversation_id) return { id: earlier.conversation_id, signed: false };
  }
  return undefined;
}

/**
 * A widget visitor who left their address in the offline form and answers our signed mail is the
 * conversation's own contact (they received the mail at the address they typed), not a new one.
 */
async function visitorWhoAnswered(trx: Db, conversationId: string, sender: string) {
  const c = await trx
    .selectFrom('conversations as c')
    .innerJoin('contacts as k', 'k.id', 'c.contact_id')
    .select(['k.id', 'k.email', 'k.attributes'])
    .where('c.id', '=', conversationId)
    .executeTakeFirst();
  if (!c || c.email) return undefined;
  return deliveryAddress(c) === sender ? { id: c.id } : undefined;
}

/**
 * Attachments and inline images go through the same storage as widget uploads. Inline images
 * (`cid:`) are pointed at their stored copy in the full email's HTML.
 */
async function storeAttachments(ctx: InboundContext, parsed: ParsedMail) {
  const attachments: { name: string; contentType: string; size: number; url: string }[] = [];
  let html = parsed.html || (parsed.textAsHtml ?? '');
  for (const a of parsed.attachments) {
    if (attachments.length >= 10) break;
    try {
      const stored = await storeUpload(ctx.attachmentsDir, {
        name: a.filename ?? (a.contentType.startsWith('image/') ? 'image' : 'file'),
        contentType: a.contentType,
        bytes: new Uint8Array(a.content),
      });
      // Stored unsigned: links are signed each time the message (or the full mail) is shown.
      const url = `${ctx.publicBaseUrl()}${uploadPath(stored)}`;
      attachments.push({ name: stored.name, contentType: stored.contentType, size: stored.size, url });
      if (a.cid) html = html.split(`cid:${a.cid}`).join(url);
    } catch (err) {
      // A type we do not accept stays in the original mail (kept in full); the message still arrives.
      ctx.logger.info({ err, type: a.contentType }, 'email attachment not stored');
    }
  }
  return { attachments, html };
}
