import type { Logger } from 'pino';
import { announceBackOnline } from '../domain/notifications/back-online';
import type { Clock } from '../domain/routing/clock';
import { PollLoop } from '../events/poll-loop';
import type { Db } from '../storage/db';

/** "We're back online" when a team's business hours open; reads the time from the clock tests move by hand. */
export function backOnlineNotices(ctx: { db: Db; clock: Clock; logger: Logger; pollMs: number }): PollLoop {
  return new PollLoop({
    pollMs: ctx.pollMs,
    run: async () => {
      await announceBackOnline(ctx.db, { now: ctx.clock.now() });
    },
    logger: ctx.logger,
    failure: 'back-online notices failed',
  });
}
