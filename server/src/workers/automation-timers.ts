import { NAMESPACES } from '@autocrm/shared';
import type { Logger } from 'pino';
import { runTimeTriggers } from '../domain/automation/time-triggers';
import type { Clock } from '../domain/routing/clock';
import { PollLoop } from '../events/poll-loop';
import { sendAutomationNotifications } from '../realtime/automation-notifications';
import type { Realtime } from '../realtime/socket-server';
import type { Db } from '../storage/db';

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
  /** Woken when a rule queued a webhook call. */
  webhookWorker?: { poke(): void } | undefined;
}): PollLoop {
  return new PollLoop({
    pollMs: ctx.pollMs,
    run: async () => {
      const now = ctx.clock.now();
      const { notifications, webhookDeliveries } = await runTimeTriggers(ctx.db, now);
      if (webhookDeliveries.length) ctx.webhookWorker?.poke();
      const io = ctx.realtime?.()?.io;
      if (io && notifications.length) sendAutomationNotifications(io.of(NAMESPACES.agent), notifications, now.toISOString());
    },
    logger: ctx.logger,
    failure: 'automation timers failed',
  });
}
