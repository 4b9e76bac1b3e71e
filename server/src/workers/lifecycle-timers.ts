import type { Logger } from 'pino';
import { autoResolveIdle } from '../domain/lifecycle/auto-resolve';
import { wakeDueSnoozes } from '../domain/lifecycle/wake-due-snoozes';
import type { Clock } from '../domain/routing/clock';
import { PollLoop } from '../events/poll-loop';
import type { Db } from '../storage/db';

/**
 * Time-driven lifecycle work: snoozes whose time came wake up, idle pending conversations get their
 * reminder and then resolve. Reads the time from the clock tests move by hand.
 */
export function lifecycleTimers(ctx: { db: Db; clock: Clock; logger: Logger; pollMs: number }): PollLoop {
  return new PollLoop({
    pollMs: ctx.pollMs,
    run: async () => {
      const now = ctx.clock.now();
      await wakeDueSnoozes(ctx.db, now);
      await autoResolveIdle(ctx.db, now);
    },
    logger: ctx.logger,
    failure: 'lifecycle timers failed',
  });
}
