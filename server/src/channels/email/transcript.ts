import { escapeUTF8 } from 'entities';
import type { Db } from '../../storage/db';

const FONT = 'font-family:-apple-system,BlinkMacSystemFont,Segoe UI,Helvetica,Arial,sans-serif';

/**
 * A conversation as the customer saw it, as mail: every message that was not an internal note, who
 * wrote it and when, in HTML (inline styles, the stored sanitized HTML of each message) and text.
 */
export async function composeTranscript(
  db: Db,
  conversationId: string,
): Promise<{ subject: string; html: string; text: string } | undefined> {
  const conv = await db.selectFrom('conversations').select(['subject']).where('id', '=', conversationId).executeTakeFirst();
  if (!conv) return undefined;
  const rows = await db
    .selectFrom('messages as m')
    .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'm.author_id').on('m.author_kind', '=', 'agent'))
    .leftJoin('contacts as c', (j) => j.onRef('c.id', '=', 'm.author_id').on('m.author_kind', '=', 'contact'))
    .select([
      'm.author_kind',
      'm.body_html',
      'm.body_text',
      'm.attachments',
      'm.created_at',
      'u.name as agent',
      'c.name as contact',
    ])
    .where('m.conversation_id', '=', conversationId)
    .where('m.private', '=', false)
    .where('m.deleted_at', 'is', null)
    .where('m.author_kind', 'in', ['contact', 'agent', 'bot'])
    .orderBy('m.seq')
    .limit(1000)
    .execute();
  const who = (r: (typeof rows)[number]) =>
    r.author_kind === 'contact' ? r.contact || 'You' : r.author_kind === 'bot' ? 'Bot' : r.agent || 'Support';
  const when = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');
  const title = conv.subject ?? 'Your conversation';
  const html = [
    `<div style="${FONT};font-size:15px;line-height:1.55;color:#1f2430;max-width:640px">`,
    `<h1 style="font-size:18px;margin:0 0 16px">${escapeUTF8(title)}</h1>`,
    ...rows.map(
      (r) =>
        `<div style="margin:0 0 14px;padding:10px 12px;border-radius:8px;background:${r.author_kind === 'contact' ? '#eef2ff' : '#f5f6f8'}">` +
        `<div style="font-size:12px;color:#5b6472;margin-bottom:4px"><strong>${escapeUTF8(who(r))}</strong> · ${when(r.created_at)} UTC</div>` +
        `<div>${r.body_html}</div>` +
        (r.attachments.length
          ? `<div style="font-size:13px;color:#5b6472">${r.attachments.map((a) => escapeUTF8(a.name)).join(', ')}</div>`
          : '') +
        '</div>',
    ),
    '</div>',
  ].join('');
  const text = [
    title,
    '',
    ...rows.map(
      (r) =>
        `${who(r)} (${when(r.created_at)} UTC):\n${r.body_text}${r.attachments.length ? `\n[${r.attachments.map((a) => a.name).join(', ')}]` : ''}\n`,
    ),
  ].join('\n');
  return { subject: `Transcript: ${title}`.slice(0, 998), html, text };
}
