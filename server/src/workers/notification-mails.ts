import { rooms } from '@autocrm/shared';
import { escapeUTF8 } from 'entities';
import nodemailer, { type Transporter } from 'nodemailer';
import { agentsWithUnmailedNotifications, takeNotificationsForMail } from '../domain/notifications/notifications';
import { PollLoop } from '../events/poll-loop';
import type { WorkerContext } from './context';

/**
 * Agents away for AGENT_NOTIFY_EMAIL_DELAY_SECONDS (no tab connected) get their unread notifications by
 * email, one digest per round, each notification at most once and only the kinds they want by email.
 * Through SMTP_URL, from MAIL_FROM; without SMTP_URL nothing is claimed.
 */
export function notificationMails(ctx: WorkerContext): PollLoop {
  const { db, config, logger } = ctx;
  let transport: Transporter | undefined;
  const from = () => config.MAIL_FROM ?? `AutoCRM <no-reply@${new URL(ctx.publicBaseUrl()).hostname}>`;

  const round = async () => {
    if (!config.SMTP_URL) return;
    const before = new Date(Date.now() - config.AGENT_NOTIFY_EMAIL_DELAY_SECONDS * 1000);
    const userIds = await agentsWithUnmailedNotifications(db, { before });
    if (!userIds.length) return;
    transport ??= nodemailer.createTransport(config.SMTP_URL, { connectionTimeout: 10_000, socketTimeout: 30_000 } as never);
    const realtime = ctx.realtime();
    for (const userId of userIds) {
      // With a tab open the agent sees the bell: no mail (a later round checks again).
      if (realtime && (await realtime.agents.in(rooms.user(userId)).fetchSockets()).length) continue;
      const mail = await takeNotificationsForMail(db, { userId, before });
      if (!mail) continue;
      const base = ctx.publicBaseUrl().replace(/\/$/, '');
      const link = (id: string | null) => (id ? `${base}/inbox/${id}` : `${base}/inbox`);
      const n = mail.items.length;
      const subject = n === 1 ? mail.items[0]!.title : `${n} unread notifications in AutoCRM`;
      const text = [
        `Hello ${mail.to.name},`,
        `while you were away:`,
        ...mail.items.map((i) => `- ${i.title}${i.body ? `: ${i.body}` : ''}\n  ${link(i.conversationId)}`),
        `Change what reaches you by email: ${base}/settings/notifications`,
      ].join('\n\n');
      const html = `<div style="font-family:system-ui,sans-serif;font-size:15px;line-height:1.5;color:#1d2433"><p>Hello ${escapeUTF8(mail.to.name)},</p><p>while you were away:</p><ul>${mail.items
        .map(
          (i) =>
            `<li style="margin-bottom:8px"><a href="${escapeUTF8(link(i.conversationId))}">${escapeUTF8(i.title)}</a>${i.body ? `<br><span style="color:#667085">${escapeUTF8(i.body)}</span>` : ''}</li>`,
        )
        .join(
          '',
        )}</ul><p style="color:#667085;font-size:13px"><a href="${escapeUTF8(`${base}/settings/notifications`)}">Change what reaches you by email</a></p></div>`;
      try {
        await transport.sendMail({ from: from(), to: { name: mail.to.name, address: mail.to.email }, subject, text, html });
      } catch (err) {
        logger.warn({ err, userId }, 'notification mail failed');
      }
    }
  };

  const loop = new PollLoop({ pollMs: ctx.pollMs, run: round, logger, failure: 'notification mails failed' });
  const stop = loop.stop.bind(loop);
  loop.stop = async () => {
    await stop();
    transport?.close();
  };
  return loop;
}
