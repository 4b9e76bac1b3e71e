import { escapeUTF8 } from 'entities';
import type { Logger } from 'pino';
import type { Config } from '../../config';
import { announcementRecipients } from '../../domain/notifications/announcements';
import { PollLoop } from '../../events/poll-loop';
import type { Db } from '../../storage/db';
import { listEmailInboxes } from './inbox-addresses';

const FONT = 'font-family:-apple-system,BlinkMacSystemFont,Segoe UI,Helvetica,Arial,sans-serif';
const BATCH = 50;

/** An announcement as a mail: its title, its text (paragraphs at blank lines), the way to the portal. */
export function announcementMail(props: { title: string; body: string; portalUrl: string }) {
  const paragraphs = props.body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  const html = [
    `<div style="${FONT};font-size:15px;line-height:1.55;color:#1f2430;max-width:560px">`,
    `<h1 style="font-size:19px;margin:0 0 12px">${escapeUTF8(props.title)}</h1>`,
    ...paragraphs.map((p) => `<p>${escapeUTF8(p).replace(/\n/g, '<br>')}</p>`),
    `<p style="color:#5b6472;font-size:13px">Your tickets: <a href="${escapeUTF8(props.portalUrl)}">${escapeUTF8(props.portalUrl)}</a></p>`,
    '</div>',
  ].join('');
  const text = [props.title, '', ...paragraphs.flatMap((p) => [p, '']), `Your tickets: ${props.portalUrl}`].join('\n');
  return { html, text };
}

/**
 * Announcements marked "also by email" go to every contact of their segment with an address, once each
 * (the receipt's emailed_at), a batch per round, through the outgoing mail queue: the sender honours the
 * customer's preferences (announcements stop with the one-click unsubscribe, or when both email switches
 * are off) and adds the List-Unsubscribe headers. From the announcement's inbox when it is an email
 * inbox, else the first email inbox; without one (or without a server) they wait.
 */
export function announcementMails(ctx: {
  db: Db;
  config: Config;
  logger: Logger;
  pollMs: number;
  publicBaseUrl: () => string;
  onQueued: () => void;
}): PollLoop {
  const { db, config } = ctx;
  const round = async () => {
    const now = new Date();
    const due = await db
      .selectFrom('announcements')
      .select(['id', 'title', 'body', 'inbox_id'])
      .where('active', '=', true)
      .where('send_email', '=', true)
      .where('kind', '=', 'announcement')
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .execute();
    if (!due.length) return;
    const inboxes = await listEmailInboxes(db);
    let queued = 0;
    for (const a of due) {
      const inbox = inboxes.find((i) => i.id === a.inbox_id) ?? inboxes[0];
      if (!inbox || !(inbox.smtp ?? config.SMTP_URL)) continue;
      const recipients = await announcementRecipients(db, { announcementId: a.id, limit: BATCH });
      const domain = inbox.address.slice(inbox.address.lastIndexOf('@') + 1);
      const mail = announcementMail({
        title: a.title,
        body: a.body,
        portalUrl: `${ctx.publicBaseUrl().replace(/\/$/, '')}/portal`,
      });
      for (const r of recipients) {
        await db.transaction().execute(async (trx) => {
          await trx
            .insertInto('email_messages')
            .values({
              kind: 'announcement',
              contact_id: r.contactId,
              inbox_id: inbox.id,
              direction: 'out',
              rfc_message_id: `<announcement.${a.id}.${r.contactId}@${domain}>`,
              from_address: inbox.address,
              from_name: inbox.name.includes('@') ? 'Support' : inbox.name,
              to_addresses: JSON.stringify([{ address: r.email, name: r.name }]),
              cc_addresses: '[]',
              refs: '[]',
              subject: a.title.slice(0, 998),
              full_html: mail.html,
              full_text: mail.text,
              status: 'queued',
              next_attempt_at: now,
            })
            .execute();
          await trx
            .insertInto('announcement_receipts')
            .values({ announcement_id: a.id, contact_id: r.contactId, emailed_at: now })
            .onConflict((oc) => oc.columns(['announcement_id', 'contact_id']).doUpdateSet({ emailed_at: now }))
            .execute();
        });
        queued++;
      }
    }
    if (queued) ctx.onQueued();
  };
  return new PollLoop({ pollMs: ctx.pollMs, run: round, logger: ctx.logger, failure: 'announcement mails failed' });
}
