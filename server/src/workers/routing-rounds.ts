import type { PresenceStatus } from '@autocrm/shared';
import type { Logger } from 'pino';
import type { PresenceDirectory } from '../domain/presence-directory';
import { reconcileAgentPresence, storeAgentPresence } from '../domain/routing/agent-presence';
import { type Clock, systemClock } from '../domain/routing/clock';
import { backfill, overflow, rerouteOffline, routeNew } from '../domain/routing/routing-rounds';
import { slaTimers } from '../domain/routing/sla-timers';
import { PollLoop } from '../events/poll-loop';
import type { Db } from '../storage/db';
import type { WorkerContext } from './context';

export interface RoutingEngineOptions {
  clock?: Clock;
  logger: Logger;
  pollMs?: number;
}

/**
 * Routing's worker in one process: runs a round when the routing listener (listeners/route-conversations.ts)
 * or a presence change asks, and a periodic one (SLA timers, overflow, re-route of offline agents'
 * conversations, backfill, and a sweep for anything an event did not reach). Any number of processes
 * may run one: every routing transaction takes the routing lock, and claims rows with SKIP LOCKED.
 */
export class RoutingEngine {
  clock: Clock;
  private presence: PresenceDirectory | undefined;
  private readonly loop: PollLoop;
  // Backfill and presence reconciliation walk the whole queue or ask every process for its sockets,
  // so they run when something may have freed a seat, and on the periodic tick, not on every event.
  private backfillWanted = true;
  private reconcileWanted = true;
  // Time-driven work (SLA timers, overflow, re-route) runs on the periodic tick only.
  private timersWanted = true;

  constructor(
    private readonly db: Db,
    private readonly options: RoutingEngineOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.loop = new PollLoop({
      pollMs: options.pollMs ?? 5000,
      run: () => this.round(),
      logger: options.logger,
      failure: 'routing round failed',
      onTick: () => this.wantEverything(),
    });
  }

  private wantEverything(): void {
    this.backfillWanted = true;
    this.reconcileWanted = true;
    this.timersWanted = true;
  }

  attachPresence(source: PresenceDirectory): void {
    this.presence = source;
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Something may have freed a seat (settings changed, an agent came online): offer the queue again. */
  requestBackfill(): void {
    this.backfillWanted = true;
    this.poke();
  }

  /** The next round offers the queue again (a seat was freed inside a transaction not yet committed). */
  wantBackfill(): void {
    this.backfillWanted = true;
  }

  get backfillPending(): boolean {
    return this.backfillWanted;
  }

  /** Run a round soon (coalesced with one in flight). */
  poke(): void {
    this.loop.poke();
  }

  /** Waits for the round in flight and runs one more (tests await it after moving the clock). */
  async settle(): Promise<void> {
    // Through the loop, so a background round cannot take the timers this one asked for and finish later.
    await this.loop.runOnce(() => this.wantEverything());
  }

  /** One full round; each step commits on its own (and the relay hears of its events at each commit). */
  async round(): Promise<void> {
    const { db, clock } = this;
    if (this.reconcileWanted) {
      this.reconcileWanted = false;
      // Live presence may be briefly unreachable (Redis); routing goes on with the cached copy.
      if (this.presence)
        await reconcileAgentPresence(db, { source: this.presence, now: () => clock.now() }).catch((err) =>
          this.options.logger.warn({ err }, 'presence reconciliation failed'),
        );
    }
    await routeNew(db, { clock });
    if (this.timersWanted) {
      this.timersWanted = false;
      await overflow(db, { clock });
      await rerouteOffline(db, { clock });
      await slaTimers(db, { clock });
    }
    if (this.backfillWanted) {
      this.backfillWanted = false;
      await backfill(db, { clock });
    }
  }

  /** The realtime layer calls this when an agent's presence may have changed (connect, disconnect, presence:set). */
  async presenceChanged(userId: string, status: PresenceStatus): Promise<void> {
    const changed = await this.db
      .transaction()
      .execute(async (trx) => storeAgentPresence(trx, { userId, status, now: this.clock.now() }));
    if (changed && status === 'online') this.requestBackfill();
    else if (changed) this.poke();
  }
}

/** The registry's entry (workers/index.ts). */
export function routingRounds(ctx: WorkerContext): RoutingEngine {
  return new RoutingEngine(ctx.db, {
    logger: ctx.logger,
    pollMs: Math.max(ctx.config.OUTBOX_POLL_MS * 10, 1000),
    clock: ctx.clock,
  });
}
