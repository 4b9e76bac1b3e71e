import type { EmailStatusEvent } from '@autocrm/shared';
import type { Logger } from 'pino';
import type { Config } from '../../config';
import { customerWantsEmail } from '../../domain/notifications/customer-prefs';
import { unsubscribeToken } from '../../domain/notifications/unsubscribe-token';
import type { UploadLocation } from '../../domain/widget/uploads';
import { emit } from '../../events/outbox';
import { PollLoop } from '../../events/poll-loop';
import type { Db } from '../../storage/db';
import { composeReply } from './compose-reply';
import { composeStored } from './compose-stored';
import { dkimOption } from './dkim';
import { listEmailInboxes } from './inbox-addresses';
import type { SecretBox } from './secret-box';
import { SmtpTransports, smtpOptions } from './smtp-transport';
import type { ThreadTokens } from './thread-token';

/** A claim older than this was cut off by a crash mid-send; see `sweepInterrupted`. */
const SENDING_LEASE_MS = 10 * 60_000;

/**
 * Sends queued mails. A row is claimed (status `sending`) and committed before the SMTP conversation,
 * so two processes never send it both; a failure puts it back with a doubling wait until
 * EMAIL_MAX_ATTEMPTS, then it is marked failed with the server's answer.
 */
export class EmailSender {
  private readonly loop: PollLoop;
  private readonly transports = new SmtpTransports();

  constructor(
    private readonly deps: {
      db: Db;
      config: Config;
      logger: Logger;
      tokens: ThreadTokens;
      box: SecretBox;
      attachmentsDir: UploadLocation;
      /** Links in mails (the one-click unsubscribe). */
      publicBaseUrl: () => string;
      /** Whether the customer has the conversation open right now (a widget or portal page in its room). */
      customerConnected?: (conversationId: string) => Promise<boolean>;
    },
    pollMs: number,
  ) {
    this.loop = new PollLoop({ pollMs, run: () => this.round(), logger: deps.logger, failure: 'email sending failed' });
  }

  start() {
    this.loop.start();
  }
  poke() {
    this.loop.poke();
  }
  async stop() {
    await this.loop.stop();
    this.transports.close();
  }

  private lastSweep = 0;

  private async round(): Promise<void> {
    if (Date.now() - this.lastSweep > 60_000) {
      this.lastSweep = Date.now();
      await this.sweepInterrupted();
    }
    // One plain statement on an idle system (every process polls): no transaction unless a mail is due.
    const due = await this.deps.db
      .selectFrom('email_messages')
      .select('id')
      .where('direction', '=', 'out')
      .where('status', '=', 'queued')
      .where('next_attempt_at', '<=', new Date())
      .limit(1)
      .executeTakeFirst();
    if (!due) return;
    for (;;) {
      const claimed = await this.claim();
      if (!claimed.length) return;
      for (const row of claimed) await this.sendOne(row);
    }
  }

  private async claim() {
    const { db } = this.deps;
    return db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('email_messages')
        .selectAll()
        .where('direction', '=', 'out')
        .where('status', '=', 'queued')
        .where('next_attempt_at', '<=', new Date())
        .orderBy('next_attempt_at')
        .limit(10)
        .forUpdate()
        .skipLocked()
        .execute();
      if (!rows.length) return [];
      await trx
        .updateTable('email_messages')
        .set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1), next_attempt_at: new Date() }))
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
      const claimed = rows.map((r) => ({ ...r, attempts: r.attempts + 1 }));
      // The room's agents see each claimed mail as sending (from the committed claim, via its event).
      for (const r of claimed) await emitStatus(trx, r, 'sending', null);
      return claimed;
    });
  }

  private async sendOne(row: Awaited<ReturnType<EmailSender['claim']>>[number]): Promise<void> {
    const { db, config, logger } = this.deps;
    // The state and its event in one transaction: the room's agents hear it only if it is stored.
    const set = async (values: { status: 'sent' | 'failed' | 'queued' | 'skipped'; reason?: string | null; retryAt?: Date }) =>
      db.transaction().execute(async (trx) => {
        await trx
          .updateTable('email_messages')
          .set({
            status: values.status,
            status_reason: values.reason ?? null,
            ...(values.status === 'sent' ? { sent_at: new Date() } : {}),
            ...(values.retryAt ? { next_attempt_at: values.retryAt } : {}),
          })
          .where('id', '=', row.id)
          .execute();
        await emitStatus(trx, row, values.status, values.reason ?? null);
      });
    try {
      if (await this.readAlready(row)) return void (await set({ status: 'skipped', reason: 'read in the chat' }));
      if (row.kind === 'csat') {
        const skip = await this.csatNotNeeded(row.conversation_id);
        if (skip) return void (await set({ status: 'skipped', reason: skip }));
      }
      if (row.kind === 'status' || row.kind === 'back_online') {
        const skip = await this.noticeNotNeeded(row);
        if (skip) return void (await set({ status: 'skipped', reason: skip }));
      }
      const notice = await this.customerNotice(row);
      if (notice && !notice.wanted)
        return void (await set({ status: 'skipped', reason: 'the customer turned these emails off' }));
      const inbox = (await listEmailInboxes(db)).find((i) => i.id === row.inbox_id);
      const transport = this.transports.get(smtpOptions(inbox?.smtp, config.SMTP_URL, this.deps.box));
      if (!transport) return void (await set({ status: 'failed', reason: 'no outgoing mail server is configured (SMTP_URL)' }));
      const mail =
        row.kind === 'reply'
          ? await composeReply(db, this.deps.tokens, row, {
              attachmentsDir: this.deps.attachmentsDir,
              signature: inbox?.signature,
            })
          : composeStored(row);
      if (!mail) return void (await set({ status: 'skipped', reason: 'the message was deleted' }));
      if (notice) {
        // RFC 2369 + RFC 8058: mail clients show an unsubscribe button that POSTs to the link.
        mail.headers = {
          'List-Unsubscribe': `<${notice.unsubscribeUrl}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        };
        mail.text = `${mail.text ?? ''}\n\n--\nStop these emails: ${notice.unsubscribeUrl}\n`;
        if (typeof mail.html === 'string') {
          mail.html += `<p style="margin-top:24px;color:#5b6472;font-size:12px"><a href="${notice.unsubscribeUrl}" style="color:#5b6472">Stop these emails</a></p>`;
        }
      }
      const dkim = dkimOption(inbox?.dkim, this.deps.box);
      await transport.sendMail(dkim ? { ...mail, dkim } : mail);
      await set({ status: 'sent' });
    } catch (err) {
      const e = err as { response?: string; message?: string };
      const reason = String(e.response ?? e.message ?? 'sending failed').slice(0, 300);
      if (row.attempts >= config.EMAIL_MAX_ATTEMPTS) {
        logger.warn({ emailId: row.id, reason }, 'email failed for good');
        await set({ status: 'failed', reason });
      } else {
        const wait = config.EMAIL_RETRY_BASE_MS * 2 ** (row.attempts - 1);
        await set({ status: 'queued', reason, retryAt: new Date(Date.now() + wait) });
      }
    }
  }

  /**
   * A mail that notifies a customer about a chat (an agent's reply while they were away, a survey) rather
   * than being the conversation itself (an email conversation's replies): it honours the customer's
   * preferences and carries a one-click unsubscribe link. Undefined for mails that are not notices.
   */
  private async customerNotice(row: {
    kind: 'reply' | 'transcript' | 'csat' | 'status' | 'announcement' | 'back_online';
    conversation_id: string | null;
    contact_id: string | null;
  }): Promise<{ wanted: boolean; unsubscribeUrl: string } | undefined> {
    if (row.kind === 'transcript') return undefined;
    let contactId = row.contact_id;
    if (row.conversation_id) {
      const c = await this.deps.db
        .selectFrom('conversations as c')
        .innerJoin('inboxes as i', 'i.id', 'c.inbox_id')
        .select(['c.contact_id', 'i.channel'])
        .where('c.id', '=', row.conversation_id)
        .executeTakeFirst();
      if (!c || (row.kind === 'reply' && c.channel === 'email')) return undefined;
      contactId = c.contact_id;
    }
    if (!contactId) return undefined;
    const wanted = await customerWantsEmail(this.deps.db, {
      contactId,
      kind: row.kind === 'reply' ? 'replies' : row.kind === 'announcement' ? 'announcements' : 'status',
    });
    const token = await unsubscribeToken(this.deps.db, { contactId });
    return { wanted, unsubscribeUrl: `${this.deps.publicBaseUrl()}/api/v1/notifications/unsubscribe/${token}` };
  }

  /** A status or "back online" mail is for a customer who is not in the chat, about a status still current. */
  private async noticeNotNeeded(row: {
    kind: string;
    conversation_id: string | null;
    notice_status: 'resolved' | 'pending' | null;
  }): Promise<string | undefined> {
    if (!row.conversation_id) return 'the conversation was deleted';
    const c = await this.deps.db
      .selectFrom('conversations')
      .select('status_category')
      .where('id', '=', row.conversation_id)
      .executeTakeFirst();
    if (!c) return 'the conversation was deleted';
    if (row.notice_status && c.status_category !== row.notice_status) return 'the conversation moved on';
    if (await this.deps.customerConnected?.(row.conversation_id)) return 'seen in the chat';
    return undefined;
  }

  /** A widget customer who read the reply in the chat does not need it by email. */
  private async readAlready(row: { conversation_id: string | null; message_id: string | null }): Promise<boolean> {
    if (!row.conversation_id || !row.message_id) return false;
    const found = await this.deps.db
      .selectFrom('messages as m')
      .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
      .innerJoin('inboxes as i', 'i.id', 'c.inbox_id')
      .leftJoin('read_cursors as r', (j) => j.onRef('r.conversation_id', '=', 'c.id').on('r.participant_kind', '=', 'contact'))
      .select(['i.channel', 'm.seq', 'r.last_read_seq'])
      .where('m.id', '=', row.message_id)
      .execute();
    if (!found.length || found[0]!.channel === 'email') return false;
    return found.some((f) => f.last_read_seq !== null && f.last_read_seq >= f.seq);
  }

  /** A survey by mail is for customers who did not answer (or see) the one in the widget. */
  private async csatNotNeeded(conversationId: string | null): Promise<string | undefined> {
    if (!conversationId) return 'the conversation was deleted';
    const c = await this.deps.db
      .selectFrom('conversations as c')
      .innerJoin('inboxes as i', 'i.id', 'c.inbox_id')
      .leftJoin('read_cursors as r', (j) => j.onRef('r.conversation_id', '=', 'c.id').on('r.participant_kind', '=', 'contact'))
      .select(['c.csat_rating', 'c.status_category', 'c.last_seq', 'i.channel', 'r.last_read_seq'])
      .where('c.id', '=', conversationId)
      .executeTakeFirst();
    if (!c) return 'the conversation was deleted';
    if (c.csat_rating !== null) return 'already rated';
    if (c.status_category !== 'resolved' && c.status_category !== 'closed') return 'open again';
    if (c.channel !== 'email' && c.last_read_seq !== null && c.last_read_seq >= c.last_seq) return 'saw the end in the chat';
    return undefined;
  }

  /**
   * A mail left `sending` by a process that died mid-send may or may not have gone out. Sending it again
   * could mail the customer twice, so it is marked failed for the agent to see and resend by hand.
   */
  private async sweepInterrupted(): Promise<void> {
    await this.deps.db
      .updateTable('email_messages')
      .set({ status: 'failed', status_reason: 'interrupted while sending; not sent again to avoid a duplicate' })
      .where('direction', '=', 'out')
      .where('status', '=', 'sending')
      .where('next_attempt_at', '<', new Date(Date.now() - SENDING_LEASE_MS))
      .execute();
  }
}

/** A mail's delivery state as an event for the room (mails that belong to no conversation have none). */
async function emitStatus(
  trx: Db,
  row: { id: string; conversation_id: string | null; message_id: string | null; attempts: number },
  status: EmailStatusEvent['status'],
  reason: string | null,
): Promise<void> {
  if (!row.conversation_id) return;
  await emit(trx, 'email.delivery_status', {
    conversationId: row.conversation_id,
    emailId: row.id,
    messageId: row.message_id,
    status,
    reason,
    attempts: row.attempts,
  });
}
