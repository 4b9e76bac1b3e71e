import type { ChannelStatusEvent } from '@autocrm/shared';
import type { Logger } from 'pino';
import type { ChannelMessageStatus } from '../../../../db/types';
import type { Config } from '../../config';
import { activeUploadLinks } from '../../domain/widget/upload-links';
import type { Db } from '../../storage/db';
import { PollLoop } from '../../workers/poll-loop';
import type { SecretBox } from '../email/secret-box';
import { setOptOut } from './opt-outs';
import { loadSmsInbox, webhookUrls } from './sms-settings';
import { OPTED_OUT_CODES, sendSms } from './twilio-client';

/** A claim older than this was cut off by a crash mid-send and is queued again. */
const SENDING_LEASE_MS = 5 * 60_000;

/**
 * Sends queued texts through Twilio. A row is claimed (status `sending`) and committed before the
 * request, so two processes never send it both; a passing failure (network, 429, 5xx) puts it back
 * with a doubling wait until SMS_MAX_ATTEMPTS, then it is failed with Twilio's answer.
 */
export class SmsSender {
  private readonly loop: PollLoop;
  private lastSweep = 0;

  constructor(
    private readonly deps: {
      db: Db;
      config: Config;
      logger: Logger;
      box: SecretBox;
      publicBaseUrl: () => string;
      onStatus: (e: ChannelStatusEvent) => void;
    },
    pollMs: number,
  ) {
    this.loop = new PollLoop({ pollMs, run: () => this.round(), logger: deps.logger, failure: 'SMS sending failed' });
  }

  start() {
    this.loop.start();
  }
  poke() {
    this.loop.poke();
  }
  async stop() {
    await this.loop.stop();
  }

  private async round(): Promise<void> {
    const { db } = this.deps;
    if (Date.now() - this.lastSweep > 60_000) {
      this.lastSweep = Date.now();
      await db
        .updateTable('channel_messages')
        .set({ status: 'queued', next_attempt_at: new Date() })
        .where('direction', '=', 'out')
        .where('status', '=', 'sending')
        .where('updated_at', '<', new Date(Date.now() - SENDING_LEASE_MS))
        .execute();
    }
    // One plain statement on an idle system (every process polls): no transaction unless a text is due.
    const due = await db
      .selectFrom('channel_messages')
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

  private claim() {
    return this.deps.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('channel_messages')
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
        .updateTable('channel_messages')
        .set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1), updated_at: new Date() }))
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
      return rows.map((r) => ({ ...r, attempts: r.attempts + 1 }));
    });
  }

  private async sendOne(row: Awaited<ReturnType<SmsSender['claim']>>[number]): Promise<void> {
    const { db, config, box, logger } = this.deps;
    const set = async (values: {
      status: ChannelMessageStatus;
      reason: string | null;
      externalId?: string;
      retryAt?: Date;
      segments?: number | null;
    }) => {
      await db
        .updateTable('channel_messages')
        .set({
          status: values.status,
          status_reason: values.reason,
          updated_at: new Date(),
          ...(values.externalId ? { external_id: values.externalId } : {}),
          ...(values.retryAt ? { next_attempt_at: values.retryAt } : {}),
          ...(values.segments ? { segments: values.segments } : {}),
        })
        .where('id', '=', row.id)
        .execute();
      if (row.conversation_id)
        this.deps.onStatus({
          conversationId: row.conversation_id,
          channelMessageId: row.id,
          messageId: row.message_id,
          status: values.status,
          reason: values.reason,
        });
    };
    const inbox = await loadSmsInbox(db, box, row.inbox_id).catch(() => undefined);
    if (!inbox) return set({ status: 'failed', reason: 'the SMS inbox has no Twilio credentials' });
    const links = activeUploadLinks();
    const outcome = await sendSms(config.TWILIO_API_BASE_URL, inbox, {
      to: row.to_address,
      body: row.body,
      mediaUrls: row.media.map((m) => links?.signUrl(m.url) ?? m.url),
      statusCallback: webhookUrls(this.deps.publicBaseUrl(), inbox.id).status,
    });
    if (outcome.ok) {
      // Twilio answers `queued` (or `accepted`); the status callback brings sent/delivered later.
      return set({ status: 'sent', reason: null, externalId: outcome.sid, segments: outcome.segments });
    }
    if (outcome.code !== null && OPTED_OUT_CODES.has(outcome.code))
      await setOptOut(db, { inboxId: row.inbox_id, address: row.to_address, optedOut: true });
    if (outcome.retry && row.attempts < config.SMS_MAX_ATTEMPTS) {
      const wait = config.SMS_RETRY_BASE_MS * 2 ** (row.attempts - 1);
      logger.info({ id: row.id, attempts: row.attempts, reason: outcome.reason }, 'SMS send will be retried');
      return set({ status: 'queued', reason: outcome.reason, retryAt: new Date(Date.now() + wait) });
    }
    logger.warn({ id: row.id, reason: outcome.reason }, 'SMS send failed');
    return set({ status: 'failed', reason: outcome.reason });
  }
}
