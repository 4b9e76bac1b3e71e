import type { Logger } from 'pino';
import type { Clock } from '../domain/routing/clock';
import type { Metrics } from '../ops/metrics';
import type { Realtime } from '../realtime/socket-server';
import type { Db } from '../storage/db';
import type { WebhookDeliveryWorker } from '../webhooks/delivery-worker';
import type { BotEngine } from '../workers/bot-turns';
import type { RoutingEngine } from '../workers/routing-rounds';

/** What a listener may use. Realtime is attached after the HTTP server listens, so it is read lazily. */
export interface ListenerContext {
  db: Db;
  logger: Logger;
  clock: Clock;
  realtime: () => Realtime | undefined;
  metrics: Metrics;
  /** The workers a listener wakes after commit (workers/index.ts). */
  routing: RoutingEngine;
  bot: BotEngine;
  webhookWorker: WebhookDeliveryWorker;
}
