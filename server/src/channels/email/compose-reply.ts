import { escapeUTF8 } from 'entities';
import type Mail from 'nodemailer/lib/mailer';
import type { EmailAddressRow } from '../../../../db/types';
import { uploadIdOf, uploadLinkPattern } from '../../domain/widget/upload-links';
import type { UploadLocation } from '../../domain/widget/uploads';
import { readUpload } from '../../domain/widget/uploads';
import type { Db } from '../../storage/db';
import { replyToAddress } from './inbox-addresses';
import type { ThreadTokens } from './thread-token';

const FONT = 'font-family:-apple-system,BlinkMacSystemFont,Segoe UI,Helvetica,Arial,sans-serif';

export interface OutgoingRow {
  id: string;
  conversation_id: string | null;
  message_id: string | null;
  rfc_message_id: string;
  in_reply_to: string | null;
  refs: string[];
  from_address: string;
  to_addresses: EmailAddressRow[];
  cc_addresses: EmailAddressRow[];
  subject: string | null;
}

const quoteText = (text: string) =>
  text
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');

/**
 * An agent's reply as a mail: clean HTML with inline styles (mail clients drop style sheets) and the
 * same in plain text, from the agent's name at the inbox address, threaded, with the message the
 * customer wrote before it quoted, and its files attached.
 */
export async function composeReply(
  db: Db,
  tokens: ThreadTokens,
  row: OutgoingRow,
  opts: { attachmentsDir: UploadLocation; signature: string | undefined },
): Promise<Mail.Options | undefined> {
  if (!row.message_id || !row.conversation_id) return undefined;
  const msg = await db
    .selectFrom('messages as m')
    .leftJoin('users as u', 'u.id', 'm.author_id')
    .leftJoin('email_agent_signatures as s', 's.user_id', 'm.author_id')
    .select(['m.body_html', 'm.body_text', 'm.attachments', 'm.seq', 'm.deleted_at', 'u.name as agent_name', 's.signature'])
    .where('m.id', '=', row.message_id)
    .executeTakeFirst();
  if (!msg || msg.deleted_at) return undefined;
  const previous = await db
    .selectFrom('messages as m')
    .leftJoin('contacts as c', 'c.id', 'm.author_id')
    .select(['m.body_html', 'm.body_text', 'm.created_at', 'c.name', 'c.email'])
    .where('m.conversation_id', '=', row.conversation_id)
    .where('m.seq', '<', msg.seq)
    .where('m.author_kind', '=', 'contact')
    .where('m.deleted_at', 'is', null)
    .orderBy('m.seq', 'desc')
    .executeTakeFirst();

  const attachments: Mail.Attachment[] = [];
  const links: string[] = [];
  for (const a of msg.attachments) {
    // Files are read by their id from the store (wherever links to them point), never fetched by URL.
    const id = uploadIdOf(a.url);
    const file = id ? await readUpload(opts.attachmentsDir, id) : undefined;
    if (file) attachments.push({ filename: file.meta.name, content: file.bytes, contentType: file.meta.contentType });
    else links.push(`${a.name}: ${a.url}`);
  }

  // Images of ours in the text travel inside the mail (cid:): a download link would expire, and the
  // customer's mail client would call our server each time it is opened.
  const inline = new Map<string, string>();
  const embed = async (html: string) => {
    let out = html;
    for (const m of html.matchAll(uploadLinkPattern())) {
      const id = m[2]!;
      if (!inline.has(id)) {
        const file = await readUpload(opts.attachmentsDir, id);
        if (!file) continue;
        const cid = `${id}@autocrm`;
        inline.set(id, cid);
        attachments.push({ filename: file.meta.name, content: file.bytes, contentType: file.meta.contentType, cid });
      }
      out = out.split(m[0]).join(`cid:${inline.get(id)}`);
    }
    return out;
  };
  const bodyHtml = await embed(msg.body_html);
  const previousHtml = previous ? await embed(previous.body_html) : '';

  // The agent's own signature; the inbox's stands in for agents without one.
  const signature = (msg.signature ?? opts.signature)?.trim();
  const who = previous ? previous.name || previous.email || 'You' : undefined;
  const when = previous?.created_at.toUTCString();
  const html = [
    `<div style="${FONT};font-size:15px;line-height:1.55;color:#1f2430">`,
    `<div>${bodyHtml}</div>`,
    links.length ? `<p style="color:#5b6472;font-size:13px">${links.map((l) => escapeUTF8(l)).join('<br>')}</p>` : '',
    signature
      ? `<p style="margin-top:16px;color:#5b6472">${signature
          .split('\n')
          .map((l) => escapeUTF8(l))
          .join('<br>')}</p>`
      : '',
    previous
      ? `<div style="margin-top:24px;color:#5b6472;font-size:13px">On ${escapeUTF8(when!)}, ${escapeUTF8(who!)} wrote:</div>` +
        `<blockquote style="margin:8px 0 0;padding:0 0 0 12px;border-left:3px solid #d5dae1;color:#5b6472">${previousHtml}</blockquote>`
      : '',
    '</div>',
  ].join('');
  const text = [
    msg.body_text,
    links.length ? `\n${links.join('\n')}` : '',
    signature ? `\n-- \n${signature}` : '',
    previous ? `\n\nOn ${when}, ${who} wrote:\n${quoteText(previous.body_text)}` : '',
  ].join('');

  return {
    from: { name: msg.agent_name ?? 'Support', address: row.from_address },
    replyTo: replyToAddress(row.from_address, tokens.token(row.conversation_id)),
    to: row.to_addresses.map((a) => ({ name: a.name ?? '', address: a.address })),
    ...(row.cc_addresses.length ? { cc: row.cc_addresses.map((a) => ({ name: a.name ?? '', address: a.address })) } : {}),
    subject: row.subject ?? '',
    messageId: row.rfc_message_id,
    ...(row.in_reply_to ? { inReplyTo: row.in_reply_to } : {}),
    ...(row.refs.length ? { references: row.refs } : {}),
    html,
    text,
    attachments,
  };
}
