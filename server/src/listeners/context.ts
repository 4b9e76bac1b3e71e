import type { Logger } from 'pino';
import type { Config } from '../config';
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
  config: Config;
  /** PUBLIC_URL, or this process's own address once it listens (links in pushes and mails). */
  publicBaseUrl: () => string;
  /** The workers a listener wakes after commit (workers/index.ts). */
  routing: RoutingEngine;
  bot: BotEngine;
  webhookWorker: WebhookDeliveryWorker;
  /** Embeds new article text; absent without embeddings (workers/kb-embeddings.ts). */
  kbIndexer?: Wakeable | undefined;
  /** Sends invitation and password-reset mails (workers/account-mails.ts). */
  accountMails: Wakeable;
}

/** A poll loop a listener may ask to run a round now. */
export interface Wakeable {
  poke(): void;
}
