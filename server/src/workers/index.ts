import { accountMailSender } from './account-mails';
import { automationTimers } from './automation-timers';
import { backOnlineNotices } from './back-online';
import { botTurns } from './bot-turns';
import type { WorkerContext } from './context';
import { kbEmbeddings } from './kb-embeddings';
import { lifecycleTimers } from './lifecycle-timers';
import { maintenanceJobs } from './maintenance-jobs';
import { notificationMails } from './notification-mails';
import { outboxRelay } from './outbox-relay';
import { routingRounds } from './routing-rounds';
import { webhookDeliveries } from './webhook-deliveries';

export type { WorkerContext } from './context';

/** What the server does with every worker: start it with the server, stop it on close. */
interface Worker {
  start(): void;
  stop(): Promise<void>;
}

/**
 * The registry of poll loops started with the server: one file per worker, one line here. They start
 * in this order and stop in the reverse one (the relay last, so what the others committed still goes out).
 */
export function createWorkers(ctx: WorkerContext) {
  const slow = { ...ctx, pollMs: Math.max(ctx.pollMs * 20, 1000) };
  const webhooks = webhookDeliveries(ctx);
  return {
    relay: outboxRelay(ctx),
    webhooks,
    routing: routingRounds(ctx),
    bot: botTurns(ctx),
    kbEmbeddings: kbEmbeddings(ctx),
    jobs: maintenanceJobs(ctx),
    lifecycle: lifecycleTimers(slow),
    automation: automationTimers({ ...slow, webhookWorker: webhooks }),
    accountMails: accountMailSender(slow),
    notificationMails: notificationMails(slow),
    backOnline: backOnlineNotices(slow),
  } satisfies Record<string, Worker | undefined>;
}

export type Workers = ReturnType<typeof createWorkers>;

export function startWorkers(workers: Workers): void {
  for (const w of Object.values(workers)) w?.start();
}

export async function stopWorkers(workers: Workers): Promise<void> {
  for (const w of Object.values(workers).reverse()) await w?.stop();
}
