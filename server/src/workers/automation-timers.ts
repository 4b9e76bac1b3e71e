import { NAMESPACES } from '@autocrm/shared';
import type { Logger } from 'pino';
import { runTimeTriggers } from '../domain/automation/time-triggers';
import type { Clock } from '../domain/routing/clock';
import { sendAutomationNotifications } from '../realtime/automation-notifications';
import type { Realtime } from '../realtime/socket-server';
import type { Db } from '../storage/db';
import { PollLoop } from './poll-loop';

/**
 * Time-based automation triggers ("no reply for N hours", "pending for N days"), on the clock tests move
 * by hand. Notify actions reach people's sockets once the socket server is attached.
 */
export function automationTimers(ctx: {
  db: Db;
  clock: Clock;
  logger: Logger;
  pollMs: number;
  realtime?: (() => Realtime | undefined) | undefined;
}): PollLoop {
  return new PollLoop({
    pollMs: ctx.pollMs,
    run: async () => {
      const now = ctx.clock.now();
      const { notifications } = await runTimeTriggers(ctx.db, now);
      const io = ctx.realtime?.()?.io;
      if (io && notifications.length) sendAutomationNotifications(io.of(NAMESPACES.agent), notifications, now.toISOString());
    },
    logger: ctx.logger,
    failure: 'automation timers failed',
  });
}
