import type { DomainEvent, EventCause, EventType } from '@autocrm/shared';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../storage/db';
import { type EventListener, listensTo } from './listener';
import { PollLoop } from './poll-loop';

export interface RelayOptions {
  pollMs: number;
  batchSize?: number;
  logger: Logger;
  /**
   * Several processes: a periodic round leaves events younger than this to the process that wrote them
   * (it dispatches right after its commit), so live events go out from the writer's process and reach its
   * own sockets even while Redis is away. A writer that died leaves them to anyone after this grace.
   */
  foreignGraceMs?: number | (() => number);
}

/**
 * Delivers outbox events to listeners after commit. Any number of processes may run a relay: each
 * claims a batch with FOR UPDATE SKIP LOCKED, so an event is dispatched by exactly one of them, and an
 * event whose dispatch failed stays in the outbox for the next round.
 */
export class OutboxRelay {
  private readonly listeners: EventListener[] = [];
  private readonly loop: PollLoop;

  constructor(
    private readonly db: Db,
    private readonly options: RelayOptions,
  ) {
    this.loop = new PollLoop({
      pollMs: options.pollMs,
      run: () => this.drain(),
      logger: options.logger,
      failure: 'outbox dispatch failed',
    });
  }

  register(listener: EventListener): this {
    this.listeners.push(listener);
    return this;
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Dispatch soon (called after a request that may have written events). */
  poke(): void {
    this.poked = true;
    this.loop.poke();
  }

  private poked = false;

  /** Events whose `early` parts this process ran, with when (forgotten after a minute if another process dispatched them). */
  private readonly ranEarly = new Map<number, number>();

  /**
   * Runs the listeners' `early` parts for events this process just committed (the message path's own
   * fan-out), and remembers them so that the dispatch leaves those parts out. The outbox still holds
   * the events: a crash before this loses nothing, the relay (here or elsewhere) fans them out.
   */
  dispatchEarly(events: DomainEvent[]): void {
    const now = Date.now();
    if (this.ranEarly.size > 10_000) for (const [id, at] of this.ranEarly) if (now - at > 60_000) this.ranEarly.delete(id);
    for (const event of events) {
      for (const l of this.listeners) {
        if (!l.early || !listensTo(l, event.type)) continue;
        try {
          if (l.early(event)) this.ranEarly.set(event.id, now);
        } catch (err) {
          this.options.logger.error({ err, listener: l.name, eventId: event.id }, 'early event listener failed');
        }
      }
    }
  }

  /** Dispatches until the outbox is empty; resolves when done (tests await it). */
  async drain(): Promise<number> {
    let fresh = this.poked || !this.options.foreignGraceMs;
    this.poked = false;
    let total = 0;
    const size = this.options.batchSize ?? 100;
    for (;;) {
      const n = await this.dispatchBatch(fresh);
      total += n;
      // A short batch took all there was, unless events were committed meanwhile (by a listener in
      // this very batch, or by a request): only then look again. Looking anyway cost an empty
      // transaction (three statements) after every batch.
      if (n === 0 || (n < size && !this.poked)) return total;
      if (this.poked) fresh = true;
      this.poked = false;
    }
  }

  /** Waits for any in-flight dispatch, then drains what is left, with no dispatch round beside it. */
  async settle(): Promise<void> {
    await this.loop.runOnce(() => {
      this.poked = true;
    });
  }

  private async dispatchBatch(fresh: boolean): Promise<number> {
    const committed: DomainEvent[] = [];
    const g = this.options.foreignGraceMs ?? 0;
    const grace = typeof g === 'function' ? g() : g;
    await this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('outbox')
        .select(['id', 'type', 'payload', 'created_at', 'cause'])
        .where('dispatched_at', 'is', null)
        .$if(!fresh, (q) => q.where('created_at', '<', sql<Date>`now() - ${grace} * interval '1 millisecond'`))
        .orderBy('id')
        .limit(this.options.batchSize ?? 100)
        .forUpdate()
        .skipLocked()
        .execute();
      for (const row of rows) {
        const event = {
          id: Number(row.id),
          type: row.type as EventType,
          occurredAt: row.created_at.toISOString(),
          data: row.payload,
          ...(row.cause ? { cause: row.cause as EventCause } : {}),
        } as DomainEvent;
        for (const l of this.listeners) {
          if (l.inTransaction && listensTo(l, event.type)) await l.inTransaction(event, trx);
        }
        committed.push(event);
      }
      for (const l of this.listeners) {
        if (!l.inTransactionBatch) continue;
        const mine = committed.filter((e) => listensTo(l, e.type));
        if (mine.length) await l.inTransactionBatch(mine, trx);
      }
      if (rows.length) {
        await trx
          .updateTable('outbox')
          .set({ dispatched_at: sql`now()` })
          .where(
            'id',
            'in',
            rows.map((r) => r.id),
          )
          .execute();
      }
    });
    for (const event of committed) {
      const early = this.ranEarly.delete(event.id);
      for (const l of this.listeners) {
        if (!l.afterCommit || !listensTo(l, event.type)) continue;
        try {
          await l.afterCommit(event, early && !!l.early);
        } catch (err) {
          this.options.logger.error({ err, listener: l.name, eventId: event.id }, 'event listener failed');
        }
      }
    }
    return committed.length;
  }
}
