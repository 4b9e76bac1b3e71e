import { WebhookDeliveryWorker } from '../webhooks/delivery-worker';
import type { WorkerContext } from './context';

/** Sends queued webhook deliveries, with retries (webhooks/delivery-worker.ts). */
export function webhookDeliveries(ctx: WorkerContext): WebhookDeliveryWorker {
  return new WebhookDeliveryWorker(ctx.db, {
    guard: ctx.ssrfGuard,
    timeoutMs: ctx.config.WEBHOOK_TIMEOUT_MS,
    pollMs: Math.max(ctx.config.OUTBOX_POLL_MS, 200),
    logger: ctx.logger,
    ...(ctx.webhookRetryScale !== undefined ? { retryScale: ctx.webhookRetryScale } : {}),
  });
}
