import { sql } from 'kysely';
import type { Logger } from 'pino';
import { PollLoop } from '../events/poll-loop';
import type { Db } from '../storage/db';
import { deliverSigned } from './deliver';
import { GIVE_UP_AFTER_MS, retryDelayMs } from './retry-schedule';
import type { SsrfGuard } from './ssrf-guard';

type Due = { id: string; webhook_id: string; payload: unknown; attempts: number; created_at: Date; url: string; secret: string };

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

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  poke(): void {
    this.loop.poke();
  }

  /**
   * Claims the deliveries due now that the free slots allow and starts sending them; returns how many.
   * Sends are not awaited: a receiver that hangs until the timeout must not hold back every other
   * subscription's deliveries until it answers. Each chain that ends pokes the loop for what is due next.
   */
  async runDue(): Promise<number> {
    // Each delivery of a chain being sent holds a slot: the claim takes only what the concurrency leaves free.
    const free = (this.options.concurrency ?? 8) - this.loop.busySlots;
    if (free <= 0) return 0;
    const leaseMs = this.options.timeoutMs + 30_000;
    const batch = await this.db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
        .select(['d.id', 'd.webhook_id', 'd.payload', 'd.attempts', 'd.created_at', 'w.url', 'w.secret'])
        .where('d.status', '=', 'pending')
        .where('w.active', '=', true)
        .where('d.next_attempt_at', '<=', sql<Date>`now()`)
        // Event order per subscription: nothing goes while an older delivery of the same subscription
        // waits for its retry or is being sent (leased). Its newer ones stay due behind it.
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('webhook_deliveries as o')
                .select('o.id')
                .whereRef('o.webhook_id', '=', 'd.webhook_id')
                .where('o.status', '=', 'pending')
                .whereRef('o.event_id', '<', 'd.event_id')
                .where('o.next_attempt_at', '>', sql<Date>`now()`),
            ),
          ),
        )
        .orderBy('d.event_id')
        .limit(free)
        // The subscription row is locked too: a second process skips the whole subscription instead of
        // taking its newer deliveries while this one sends the older.
        .forUpdate(['d', 'w'])
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
    const chains = new Map<string, Due[]>();
    for (const d of batch) chains.set(d.webhook_id, [...(chains.get(d.webhook_id) ?? []), d]);
    for (const chain of chains.values())
      this.loop.runBeside(() => this.sendInOrder(chain), {
        slots: chain.length,
        failure: 'webhook delivery failed',
        context: { webhookId: chain[0]?.webhook_id },
      });
    return batch.length;
  }

  /**
   * One subscription's deliveries, oldest first, one at a time. A failure stops the chain: the rest go
   * back to due and wait behind the failing one (unless it was given up for good). A success makes the
   * subscription's other pending deliveries due at once, so a receiver that is back gets its backlog now.
   */
  private async sendInOrder(chain: Due[]): Promise<void> {
    for (let i = 0; i < chain.length; i++) {
      const d = chain[i]!;
      const result = await this.attempt(d);
      if (result === 'succeeded' && i === chain.length - 1) {
        await this.db
          .updateTable('webhook_deliveries')
          .set({ next_attempt_at: new Date() })
          .where('webhook_id', '=', d.webhook_id)
          .where('status', '=', 'pending')
          // Only ones waiting out a backoff of their own (a redelivery, a schedule from before ordering);
          // fresh deliveries are due already, and a lease in flight is not ours to cut short.
          .where('attempts', '>', 0)
          .where('next_attempt_at', '>', new Date())
          .execute();
      }
      if (result === 'pending') {
        const rest = chain.slice(i + 1).map((r) => r.id);
        if (rest.length) {
          await this.db.updateTable('webhook_deliveries').set({ next_attempt_at: new Date() }).where('id', 'in', rest).execute();
        }
        return;
      }
    }
  }

  private async attempt(d: Due): Promise<'succeeded' | 'pending' | 'failed'> {
    const outcome = await deliverSigned({
      url: d.url,
      secret: d.secret,
      msgId: d.id,
      body: JSON.stringify(d.payload),
      timeoutMs: this.options.timeoutMs,
      guard: this.options.guard,
    });
    const attempts = d.attempts + 1;
    const scale = this.options.retryScale ?? 1;
    const giveUp = !outcome.ok && Date.now() - d.created_at.getTime() >= GIVE_UP_AFTER_MS * scale;
    const delay = retryDelayMs(attempts) * scale;
    const status = outcome.ok ? 'succeeded' : giveUp ? 'failed' : 'pending';
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('webhook_attempts')
        .values({ delivery_id: d.id, status_code: outcome.statusCode, error: outcome.error, duration_ms: outcome.durationMs })
        .execute();
      await trx
        .updateTable('webhook_deliveries')
        .set({
          attempts,
          status,
          next_attempt_at: status === 'pending' ? new Date(Date.now() + delay) : null,
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
    return status;
  }
}
