import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Clock } from '../domain/routing/clock';
import type { Realtime } from '../realtime/socket-server';
import type { Db } from '../storage/db';
import { accountMailSender } from './account-mails';
import { automationTimers } from './automation-timers';
import { lifecycleTimers } from './lifecycle-timers';
import type { PollLoop } from './poll-loop';

export interface WorkerContext {
  db: Db;
  logger: Logger;
  clock: Clock;
  /** The outbox poll interval: workers derive theirs from it. */
  pollMs: number;
  /** Called after a worker committed events, so the relay dispatches them now. */
  onEvents: () => void;
  /** The socket server, attached after the HTTP server listens (read lazily). */
  realtime?: () => Realtime | undefined;
  config: Config;
  /** PUBLIC_URL, or this process's own address once it listens (links in mails). */
  publicBaseUrl: () => string;
}

/** The registry of poll loops started with the server: one file per worker, one line here. */
export function createWorkers(ctx: WorkerContext) {
  return {
    lifecycle: lifecycleTimers({ ...ctx, pollMs: Math.max(ctx.pollMs * 20, 1000) }),
    automation: automationTimers({ ...ctx, pollMs: Math.max(ctx.pollMs * 20, 1000) }),
    accountMails: accountMailSender({ ...ctx, pollMs: Math.max(ctx.pollMs * 20, 1000) }),
  } satisfies Record<string, PollLoop>;
}

export type Workers = ReturnType<typeof createWorkers>;
