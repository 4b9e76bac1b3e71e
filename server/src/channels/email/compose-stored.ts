import type Mail from 'nodemailer/lib/mailer';
import type { OutgoingRow } from './compose-reply';

/**
 * A mail composed when it was queued (a transcript, a CSAT survey): its body is stored with it, so a
 * retry sends exactly what was queued even if the conversation changed since.
 */
export function composeStored(
  row: OutgoingRow & { from_name: string | null; full_html: string | null; full_text: string | null },
): Mail.Options | undefined {
  if (row.full_text === null) return undefined;
  return {
    from: { name: row.from_name ?? 'Support', address: row.from_address },
    to: row.to_addresses.map((a) => ({ name: a.name ?? '', address: a.address })),
    subject: row.subject ?? '',
    messageId: row.rfc_message_id,
    ...(row.in_reply_to ? { inReplyTo: row.in_reply_to } : {}),
    ...(row.refs.length ? { references: row.refs } : {}),
    ...(row.full_html ? { html: row.full_html } : {}),
    text: row.full_text,
  };
}
