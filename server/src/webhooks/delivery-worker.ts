import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../storage/db';
import { PollLoop } from '../workers/poll-loop';
import { deliverSigned } from './deliver';
import { MAX_ATTEMPTS, retryDelayMs } from './retry-schedule';
import type { SsrfGuard } from './ssrf-guard';

export interface DeliveryWorkerOptions {
  guard: SsrfGuard;
  timeoutMs: number;
  pollMs: number;
  logger: Logger;
  /** Multiplies every retry delay (tests shrink the 3-day schedule to milliseconds). */
  retryScale?: number;
  concurrency?: number;
}

/**
 * Sends due webhook deliveries. A delivery is leased (its next attempt pushed past the request
 * timeout) in a short transaction with SKIP LOCKED, then sent outside any transaction; if this
 * process dies mid-send, the lease runs out and any process retries it with the same webhook-id.
 */
export class WebhookDeliveryWorker {
  private readonly loop: PollLoop;

  constructor(
    private readonly db: Db,
    private readonly options: DeliveryWorkerOptions,
  ) {
    this.loop = new PollLoop({
      pollMs: options.pollMs,
      run: () => this.runDue(),
      logger: options.logger,
      failure: 'webhook delivery round failed',
    });
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  poke(): void {
    this.loop.poke();
  }

  /** Sends every delivery due now; returns how many were attempted. */
  async runDue(): Promise<number> {
    const leaseMs = this.options.timeoutMs + 30_000;
    const batch = await this.db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
        .select(['d.id', 'd.payload', 'd.attempts', 'w.url', 'w.secret', 'w.active'])
        .where('d.status', '=', 'pending')
        .where('w.active', '=', true)
        .where('d.next_attempt_at', '<=', sql<Date>`now()`)
        .orderBy('d.next_attempt_at')
        .limit(this.options.concurrency ?? 8)
        .forUpdate('d')
        .skipLocked()
        .execute();
      if (due.length) {
        await trx
          .updateTable('webhook_deliveries')
          .set({ next_attempt_at: new Date(Date.now() + leaseMs) })
          .where(
            'id',
            'in',
            due.map((d) => d.id),
          )
          .execute();
      }
      return due;
    });
    await Promise.all(batch.map((d) => this.attempt(d)));
    return batch.length;
  }

  private async attempt(d: { id: string; payload: unknown; attempts: number; url: string; secret: string; active: boolean }) {
    if (!d.active) {
      // A paused webhook keeps its deliveries; they go out when it is switched back on.
      await this.db
        .updateTable('webhook_deliveries')
        .set({ next_attempt_at: new Date(Date.now() + 60_000) })
        .where('id', '=', d.id)
        .execute();
      return;
    }
    const outcome = await deliverSigned({
      url: d.url,
      secret: d.secret,
      msgId: d.id,
      body: JSON.stringify(d.payload),
      timeoutMs: this.options.timeoutMs,
      guard: this.options.guard,
    });
    const attempts = d.attempts + 1;
    const giveUp = !outcome.ok && attempts >= MAX_ATTEMPTS;
    const delay = retryDelayMs(attempts) * (this.options.retryScale ?? 1);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('webhook_attempts')
        .values({ delivery_id: d.id, status_code: outcome.statusCode, error: outcome.error, duration_ms: outcome.durationMs })
        .execute();
      await trx
        .updateTable('webhook_deliveries')
        .set({
          attempts,
          status: outcome.ok ? 'succeeded' : giveUp ? 'failed' : 'pending',
          next_attempt_at: outcome.ok || giveUp ? null : new Date(Date.now() + delay),
          last_status_code: outcome.statusCode,
          last_error: outcome.error,
          updated_at: new Date(),
        })
        .where('id', '=', d.id)
        .execute();
    });
    if (!outcome.ok) {
      this.options.logger.warn(
        { deliveryId: d.id, statusCode: outcome.statusCode, error: outcome.error, attempts },
        'webhook delivery failed',
      );
    }
  }
}
