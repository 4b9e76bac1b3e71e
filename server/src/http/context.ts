import type { OpenAPIHono } from '@hono/zod-openapi';
import type OpenAI from 'openai';
import type { Logger } from 'pino';
import type { RunningChannels } from '../channels/running';
import type { Config } from '../config';
import type { LiveAccess } from '../domain/access/live-access';
import type { Actor } from '../domain/actor';
import type { SessionContext } from '../domain/auth/sessions';
import type { KbSearchContext } from '../domain/kb/search';
import type { UploadLinks } from '../domain/widget/upload-links';
import type { OutboxRelay } from '../events/relay';
import type { Metrics } from '../ops/metrics';
import type { RateLimits } from '../ops/rate-limits';
import type { Realtime } from '../realtime/socket-server';
import type { Db } from '../storage/db';
import type { DatabaseState } from '../storage/guarded-pool';
import type { WebhookDeliveryWorker } from '../webhooks/delivery-worker';
import type { SsrfGuard } from '../webhooks/ssrf-guard';
import type { Workers } from '../workers';
import type { BotEngine } from '../workers/bot-turns';
import type { JobRunner } from '../workers/job-runner';
import type { PollLoop } from '../workers/poll-loop';
import type { RoutingEngine } from '../workers/routing-rounds';

/** What request handlers may use; built once in main.ts. */
export interface AppDeps {
  db: Db;
  dbKind: 'pglite' | 'postgres';
  /** `down` while Postgres is unreachable (storage/guarded-pool.ts). */
  dbStatus: () => DatabaseState;
  config: Config;
  logger: Logger;
  relay: OutboxRelay;
  webhookWorker: WebhookDeliveryWorker;
  ssrfGuard: SsrfGuard;
  metrics: Metrics;
  rateLimits: RateLimits;
  /** Signs and checks download links of uploads. */
  uploadLinks: UploadLinks;
  /** Re-checks live connections after an access change; set with the socket server. */
  liveAccess?: LiveAccess;
  /** Set once the socket server is attached (after the HTTP server listens). */
  realtime?: Realtime;
  /** Routing: assignment, queue, SLA timers (domain/routing). */
  routing?: RoutingEngine;
  /** Knowledge-base search: capabilities of this database, default locale, embeddings when configured. */
  kb: KbSearchContext;
  /** Embeds new article text for hybrid search; absent without embeddings. */
  kbIndexer?: PollLoop | undefined;
  /** The LLM client, when one is configured (bot answers, agent assist). */
  llm: OpenAI | null;
  bot?: BotEngine;
  /** Scheduled maintenance (workers/job-runner, jobs/). */
  jobs?: JobRunner;
  /** Email and the other channels, once started (channels/index.ts). */
  channels?: RunningChannels;
  /** Background poll loops from the workers registry (tests run a round after moving the clock). */
  workers?: Workers;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    actor: Actor | undefined;
    session: SessionContext | undefined;
  };
}

export type App = OpenAPIHono<AppEnv>;
