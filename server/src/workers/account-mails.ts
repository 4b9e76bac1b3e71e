import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { mintAccountMail } from '../domain/auth/account-mail';
import { PollLoop } from '../events/poll-loop';
import type { Db } from '../storage/db';

/** A claimed mail is not tried again by another process for this long (a send takes seconds). */
const LEASE_MS = 5 * 60_000;

/**
 * Sends invitation and forgotten-password mails through SMTP_URL. A queued row holds only a reference:
 * the link is minted in the claiming transaction (its hash replaces the stored one), then the mail is
 * sent and the row deleted. A failed send is retried with a doubling wait, each time with a fresh link,
 * up to EMAIL_MAX_ATTEMPTS. Without SMTP_URL the rows wait (the invitation shows as "sending").
 */
export function accountMailSender(ctx: {
  db: Db;
  config: Config;
  logger: Logger;
  pollMs: number;
  publicBaseUrl: () => string;
}): PollLoop {
  const { db, config, logger } = ctx;
  let transport: Transporter | undefined;
  const from = config.MAIL_FROM ?? `AutoCRM <no-reply@${new URL(ctx.publicBaseUrl()).hostname}>`;

  const claim = () =>
    db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('account_mails')
        .selectAll()
        .where('next_attempt_at', '<=', new Date())
        .orderBy('next_attempt_at')
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!row) return undefined;
      const mail = await mintAccountMail(trx, {
        mail: { kind: row.kind, refId: row.ref_id },
        settings: {
          baseUrl: ctx.publicBaseUrl(),
          inviteTtlHours: config.INVITE_TTL_HOURS,
          resetTtlMinutes: config.PASSWORD_RESET_TTL_MINUTES,
        },
      });
      if (!mail) {
        await trx.deleteFrom('account_mails').where('id', '=', row.id).execute();
        return { row, mail };
      }
      await trx
        .updateTable('account_mails')
        .set({ attempts: row.attempts + 1, next_attempt_at: new Date(Date.now() + LEASE_MS) })
        .where('id', '=', row.id)
        .execute();
      return { row: { ...row, attempts: row.attempts + 1 }, mail };
    });

  const round = async () => {
    if (!config.SMTP_URL) return;
    transport ??= nodemailer.createTransport(config.SMTP_URL, {
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    } as never);
    for (;;) {
      const claimed = await claim();
      if (!claimed) return;
      const { row, mail } = claimed;
      if (!mail) continue;
      try {
        await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
        await db.deleteFrom('account_mails').where('id', '=', row.id).execute();
      } catch (err) {
        const reason = String((err as { response?: string; message?: string }).response ?? (err as Error).message);
        if (row.attempts >= config.EMAIL_MAX_ATTEMPTS) {
          logger.warn({ kind: row.kind, refId: row.ref_id, reason }, 'account mail failed for good');
          await db.deleteFrom('account_mails').where('id', '=', row.id).execute();
        } else {
          const wait = config.EMAIL_RETRY_BASE_MS * 2 ** (row.attempts - 1);
          await db
            .updateTable('account_mails')
            .set({ next_attempt_at: new Date(Date.now() + wait) })
            .where('id', '=', row.id)
            .execute();
        }
      }
    }
  };

  const loop = new PollLoop({ pollMs: ctx.pollMs, run: round, logger, failure: 'account mail sending failed' });
  const stop = loop.stop.bind(loop);
  loop.stop = async () => {
    await stop();
    transport?.close();
  };
  return loop;
}
