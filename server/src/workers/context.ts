import type OpenAI from 'openai';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { KbSearchContext } from '../domain/kb/search';
import type { Clock } from '../domain/routing/clock';
import type { Realtime } from '../realtime/socket-server';
import type { Db } from '../storage/db';
import type { SsrfGuard } from '../webhooks/ssrf-guard';

/**
 * What a worker may use. Events a worker commits need no poke: the database tells the relay after each
 * commit that wrote events (storage/commit-watch.ts).
 */
export interface WorkerContext {
  db: Db;
  logger: Logger;
  /** Routing's and the timers' clock (tests move it by hand). */
  clock: Clock;
  /** The maintenance jobs' clock (tests move it by hand, then await `jobs.runOnce()`). */
  jobsClock: Clock;
  /** The outbox poll interval: workers derive theirs from it. */
  pollMs: number;
  /** The socket server, attached after the HTTP server listens (read lazily). */
  realtime: () => Realtime | undefined;
  config: Config;
  /** PUBLIC_URL, or this process's own address once it listens (links in mails). */
  publicBaseUrl: () => string;
  kb: KbSearchContext;
  llm: OpenAI | null;
  ssrfGuard: SsrfGuard;
  /** Tests shorten the webhook retry waits. */
  webhookRetryScale?: number | undefined;
}
