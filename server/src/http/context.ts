import type { OpenAPIHono } from '@hono/zod-openapi';
import type OpenAI from 'openai';
import type { Logger } from 'pino';
import type { RunningChannels } from '../channels/running';
import type { Config } from '../config';
import type { LiveAccess } from '../domain/access/live-access';
import type { Actor } from '../domain/actor';
import type { MaintenanceJobs } from '../domain/admin/jobs';
import type { SessionContext } from '../domain/auth/sessions';
import type { KbSearchContext } from '../domain/kb/search';
import type { PresenceDirectory } from '../domain/presence-directory';
import type { Clock } from '../domain/routing/clock';
import type { UploadLinks } from '../domain/widget/upload-links';
import type { OutboxRelay } from '../events/relay';
import type { Metrics } from '../ops/metrics';
import type { RateLimits } from '../ops/rate-limits';
import type { Realtime } from '../realtime/socket-server';
import type { Db } from '../storage/db';
import type { DatabaseState } from '../storage/guarded-pool';
import type { SsrfGuard } from '../webhooks/ssrf-guard';

/**
 * What request handlers may use; built once in server.ts. No worker or listener is in here: a route
 * calls a domain command, and the command's events wake whatever loop should look (listeners/).
 * `tests/transport-boundaries.test.ts` keeps every transport from importing workers/ or listeners/.
 */
export interface AppDeps {
  db: Db;
  dbKind: 'pglite' | 'postgres';
  /** `down` while Postgres is unreachable (storage/guarded-pool.ts). */
  dbStatus: () => DatabaseState;
  config: Config;
  logger: Logger;
  relay: OutboxRelay;
  ssrfGuard: SsrfGuard;
  metrics: Metrics;
  rateLimits: RateLimits;
  /** Signs and checks download links of uploads. */
  uploadLinks: UploadLinks;
  /** Re-checks live connections after an access change; set with the socket server. */
  liveAccess?: LiveAccess;
  /**
   * Set once the socket server is attached (after the HTTP server listens). For the channels' status
   * pushes only: a route reads the ports below, and its commands' events reach sockets (listeners/).
   */
  realtime?: Realtime;
  /** Who is connected and how; set with the socket server. */
  presence?: PresenceDirectory;
  /** The Redis link between processes (`none` without REDIS_URL); set with the socket server. */
  redisStatus?: Realtime['redisStatus'];
  /** Routing's clock (tests move it by hand; snooze times are judged by the time the routing worker reads). */
  clock: Clock;
  /** Knowledge-base search: capabilities of this database, default locale, embeddings when configured. */
  kb: KbSearchContext;
  /** The LLM client, when one is configured (bot answers, agent assist). */
  llm: OpenAI | null;
  /** Scheduled maintenance (workers/job-runner, jobs/): the admins' jobs page lists them and may run one now. */
  jobs?: MaintenanceJobs;
  /** Email and the other channels, once started (channels/index.ts). */
  channels?: RunningChannels;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    actor: Actor | undefined;
    session: SessionContext | undefined;
  };
}

export type App = OpenAPIHono<AppEnv>;
