import type { Selectable } from 'kysely';
import type { Logger } from 'pino';
import type { ChannelMessageStatus, ChannelMessagesTable } from '../../../../db/types';
import { emit } from '../../events/outbox';
import { PollLoop } from '../../events/poll-loop';
import type { Db } from '../../storage/db';

/** A claim older than this was cut off by a crash mid-send and is queued again. */
const SENDING_LEASE_MS = 5 * 60_000;

export type QueuedChannelMessage = Selectable<ChannelMessagesTable>;

/** What a provider answered to one send. */
export type ProviderOutcome =
  | { ok: true; externalId: string; segments?: number | null }
  | { ok: false; retry: boolean; reason: string; code: number | null };

export interface ChannelSenderOptions {
  db: Db;
  logger: Logger;
  /** The provider whose queued rows this sender sends (`twilio`, `whatsapp` ...). */
  provider: string;
  /** Sends one row through the provider's API. */
  send: (row: QueuedChannelMessage) => Promise<ProviderOutcome>;
  /** After a definite refusal (e.g. record an opt-out the provider reports). */
  onRefused?: (row: QueuedChannelMessage, code: number | null) => Promise<void>;
  retryBaseMs: number;
  maxAttempts: number;
  pollMs: number;
}

/**
 * Sends a provider's queued messages. A row is claimed (status `sending`) and committed before the
 * request, so two processes never send it both; a passing failure (network, 429, 5xx) puts it back
 * with a doubling wait until `maxAttempts`, then it is failed with the provider's answer.
 */
export class ChannelSender {
  private readonly loop: PollLoop;
  private lastSweep = 0;

  constructor(private readonly o: ChannelSenderOptions) {
    this.loop = new PollLoop({
      pollMs: o.pollMs,
      run: () => this.round(),
      logger: o.logger,
      failure: `${o.provider} sending failed`,
    });
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
    const { db, provider } = this.o;
    if (Date.now() - this.lastSweep > 60_000) {
      this.lastSweep = Date.now();
      await db
        .updateTable('channel_messages')
        .set({ status: 'queued', next_attempt_at: new Date() })
        .where('provider', '=', provider)
        .where('direction', '=', 'out')
        .where('status', '=', 'sending')
        .where('updated_at', '<', new Date(Date.now() - SENDING_LEASE_MS))
        .execute();
    }
    // One plain statement on an idle system (every process polls): no transaction unless a message is due.
    const due = await db
      .selectFrom('channel_messages')
      .select('id')
      .where('provider', '=', provider)
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
    return this.o.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('channel_messages')
        .selectAll()
        .where('provider', '=', this.o.provider)
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

  private async sendOne(row: QueuedChannelMessage): Promise<void> {
    const { db, logger } = this.o;
    const set = async (values: {
      status: ChannelMessageStatus;
      reason: string | null;
      externalId?: string;
      retryAt?: Date;
      segments?: number | null | undefined;
    }) => {
      // The state and its event in one transaction: the room's agents hear it only if it is stored.
      await db.transaction().execute(async (trx) => {
        await trx
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
          await emit(trx, 'channel.delivery_status', {
            conversationId: row.conversation_id,
            channelMessageId: row.id,
            messageId: row.message_id,
            status: values.status,
            reason: values.reason,
          });
      });
    };
    let outcome: ProviderOutcome;
    try {
      outcome = await this.o.send(row);
    } catch (err) {
      outcome = { ok: false, retry: false, reason: (err as Error).message, code: null };
    }
    // Accepted by the provider: its callbacks bring delivered/read/failed later.
    if (outcome.ok) return set({ status: 'sent', reason: null, externalId: outcome.externalId, segments: outcome.segments });
    if (outcome.retry && row.attempts < this.o.maxAttempts) {
      const wait = this.o.retryBaseMs * 2 ** (row.attempts - 1);
      logger.info({ id: row.id, attempts: row.attempts, reason: outcome.reason }, `${this.o.provider} send will be retried`);
      return set({ status: 'queued', reason: outcome.reason, retryAt: new Date(Date.now() + wait) });
    }
    if (!outcome.retry) await this.o.onRefused?.(row, outcome.code);
    logger.warn({ id: row.id, reason: outcome.reason }, `${this.o.provider} send failed`);
    return set({ status: 'failed', reason: outcome.reason });
  }
}
