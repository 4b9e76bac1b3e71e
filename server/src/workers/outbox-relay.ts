import { OutboxRelay } from '../events/relay';
import type { WorkerContext } from './context';

/** Dispatches outbox events to the listeners (listeners/index.ts); poked after each commit that wrote events. */
export function outboxRelay(ctx: WorkerContext): OutboxRelay {
  return new OutboxRelay(ctx.db, {
    pollMs: ctx.config.OUTBOX_POLL_MS,
    logger: ctx.logger,
    // Several processes share the outbox only with Redis; then each dispatches its own events first,
    // and while Redis is away (a broadcast would reach only the dispatcher's sockets) much longer.
    ...(ctx.config.REDIS_URL ? { foreignGraceMs: () => (ctx.realtime()?.redisStatus() === 'down' ? 30_000 : 1000) } : {}),
  });
}
