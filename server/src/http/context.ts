import type { OpenAPIHono } from '@hono/zod-openapi';
import type OpenAI from 'openai';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Actor } from '../domain/actor';
import type { SessionContext } from '../domain/auth/sessions';
import type { BotEngine } from '../domain/bot/bot-engine';
import type { KbSearchContext } from '../domain/kb/search';
import type { RoutingEngine } from '../domain/routing/routing-engine';
import type { OutboxRelay } from '../events/relay';
import type { Metrics } from '../ops/metrics';
import type { Realtime } from '../realtime/socket-server';
import type { Db } from '../storage/db';
import type { WebhookDeliveryWorker } from '../webhooks/delivery-worker';
import type { SsrfGuard } from '../webhooks/ssrf-guard';
import type { Workers } from '../workers';
import type { PollLoop } from '../workers/poll-loop';

/** What request handlers may use; built once in main.ts. */
export interface AppDeps {
  db: Db;
  dbKind: 'pglite' | 'postgres';
  config: Config;
  logger: Logger;
  relay: OutboxRelay;
  webhookWorker: WebhookDeliveryWorker;
  ssrfGuard: SsrfGuard;
  metrics: Metrics;
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
