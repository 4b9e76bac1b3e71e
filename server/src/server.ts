import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Redis } from 'ioredis';
import pino, { type Logger } from 'pino';
import { migrateToLatest } from '../../db/migrate';
import { bootstrapWorkspace } from './bootstrap';
import { startChannels } from './channels';
import { createCollab } from './collab/collab-server';
import { type Config, loadConfig } from './config';
import { BotEngine } from './domain/bot/bot-engine';
import { indexEmbeddings, openAiEmbedder } from './domain/kb/embeddings';
import { type Clock, systemClock } from './domain/routing/clock';
import { RoutingEngine } from './domain/routing/routing-engine';
import { isOwnOrigin, registerOwnOrigin } from './domain/text/sanitize';
import { loadUploadLinkSecret, UploadLinks, useUploadLinks } from './domain/widget/upload-links';
import { OutboxRelay } from './events/relay';
import { createHttpApp } from './http/app';
import type { AppDeps } from './http/context';
import { maintenanceJobs } from './jobs';
import { registerListeners } from './listeners';
import { createLlmClient } from './llm/openai-client';
import { createMetrics } from './ops/metrics';
import { createRateLimits } from './ops/rate-limits';
import { createRealtime } from './realtime/socket-server';
import { seedDemoWorkspace } from './seed/seed-demo';
import { openDatabase, waitForDatabase } from './storage/db';
import { describeMissing, detectCapabilities } from './storage/extensions';
import { WebhookDeliveryWorker } from './webhooks/delivery-worker';
import { enqueueWebhookDeliveries } from './webhooks/enqueue-deliveries';
import { SsrfGuard } from './webhooks/ssrf-guard';
import { createWorkers } from './workers';
import { JobRunner } from './workers/job-runner';
import { PollLoop } from './workers/poll-loop';

export interface StartOptions {
  env?: Record<string, string | undefined>;
  /** Overrides for tests: an in-memory PGlite is `memory://`. */
  dataDir?: string;
  logger?: Logger;
  webhookRetryScale?: number;
  /** Routing's clock (tests move it by hand). */
  routingClock?: Clock;
  /** The maintenance jobs' clock (tests move it by hand, then await `deps.jobs.runOnce()`). */
  jobsClock?: Clock;
}

export interface RunningServer {
  url: string;
  port: number;
  deps: AppDeps;
  demo: DemoInfo | undefined;
  close(): Promise<void>;
}

export interface DemoInfo {
  adminEmail: string;
  adminPassword: string;
  agentEmail: string;
  agentPassword: string;
  websiteToken: string | null;
}

/** Starts the whole product in this process: database, migrations, workers and the HTTP server. */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const config: Config = loadConfig(options.env ?? process.env);
  const logger =
    options.logger ??
    pino({
      level: config.LOG_LEVEL,
      // Belt and braces: even if a secret ends up in a log object, these paths are blanked.
      redact: {
        paths: [
          'password',
          '*.password',
          'token',
          '*.token',
          'key',
          '*.key',
          'secret',
          '*.secret',
          'authorization',
          '*.authorization',
          'cookie',
          '*.cookie',
        ],
        censor: '[redacted]',
      },
    });
  const handle = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: options.dataDir ?? config.DATA_DIR,
    poolSize: config.DB_POOL_SIZE,
    timeouts: {
      connectMs: config.DB_CONNECT_TIMEOUT_MS,
      statementMs: config.DB_STATEMENT_TIMEOUT_MS,
      idleInTransactionMs: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
      keepAliveMs: config.DB_KEEPALIVE_MS,
    },
    logger,
  });
  const { db } = handle;
  try {
    await waitForDatabase(db, { logger, timeoutMs: config.DB_STARTUP_TIMEOUT_MS });
    const applied = await migrateToLatest(db);
    if (applied.length) logger.info({ applied }, 'migrations applied');
    const admin =
      config.ADMIN_EMAIL && config.ADMIN_PASSWORD ? { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD } : undefined;
    const boot = await bootstrapWorkspace(db, admin);
    const demo =
      config.SEED_DEMO === 'true' ? await seedDemoWorkspace(db, { fresh: boot.fresh, adminFromEnv: admin }) : undefined;
    // Imported only for the demo: the sample knowledge base is a large module.
    if (demo) await (await import('./seed/seed-demo-kb')).seedDemoKb(db);

    const caps = await detectCapabilities(db);
    for (const line of describeMissing(caps)) logger.warn(line);
    const llm = createLlmClient(config);
    const embedder =
      llm && caps.vector && config.OPENAI_EMBEDDING_MODEL !== 'none'
        ? openAiEmbedder(llm, config.OPENAI_EMBEDDING_MODEL)
        : undefined;
    const kb = { db, caps, defaultLocale: config.KB_DEFAULT_LOCALE, embedder };
    const kbIndexer = embedder
      ? new PollLoop({
          pollMs: 5 * 60_000,
          run: () => indexEmbeddings(db, { embedder }),
          logger,
          failure: 'knowledge-base embedding failed (search falls back to full text)',
        })
      : undefined;
    logger.info(
      { llm: Boolean(llm), search: embedder ? 'hybrid' : 'fulltext' },
      llm ? 'bot answers with the configured LLM' : 'no LLM configured: the bot offers articles and hands off',
    );

    const metrics = createMetrics();
    metrics.databaseUp.set(handle.status() === 'up' ? 1 : 0);
    handle.onStateChange((state) => metrics.databaseUp.set(state === 'up' ? 1 : 0));
    // Rate limits count across processes in Redis when there is one.
    const limitsRedis = config.REDIS_URL
      ? new Redis(config.REDIS_URL, {
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          lazyConnect: true,
          // A Redis that stops answering (packets dropped, not refused) must not hold a send: past this
          // the limiter counts in memory (its insurance) like when Redis is down.
          commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS,
        })
      : undefined;
    limitsRedis?.on('error', (err) => logger.warn({ err: err.message }, 'rate-limit redis connection problem'));
    // Start-up does not wait on Redis: while it is away the limits count in this process's memory (the
    // insurance limiter) and ioredis keeps reconnecting.
    await limitsRedis
      ?.connect()
      .catch((err) => logger.warn({ err: err.message }, 'rate-limit redis not reachable yet: counting in memory until it is'));
    const rateLimits = createRateLimits(config, limitsRedis);
    const uploadsOrigin = config.UPLOADS_ORIGIN ? new URL(config.UPLOADS_ORIGIN).origin : undefined;
    if (uploadsOrigin) registerOwnOrigin(uploadsOrigin);
    const uploadLinks = new UploadLinks(await loadUploadLinkSecret(db), {
      ttlSeconds: config.UPLOAD_LINK_TTL_SECONDS,
      uploadsOrigin,
      isOwnOrigin,
    });
    useUploadLinks(uploadLinks);
    const ssrfGuard = new SsrfGuard(config.WEBHOOK_ALLOW_PRIVATE);
    const relay = new OutboxRelay(db, {
      pollMs: config.OUTBOX_POLL_MS,
      logger,
      // Several processes share the outbox only with Redis; then each dispatches its own events first,
      // and while Redis is away (a broadcast would reach only the dispatcher's sockets) much longer.
      ...(config.REDIS_URL ? { foreignGraceMs: () => (deps?.realtime?.redisStatus() === 'down' ? 30_000 : 1000) } : {}),
    });
    const webhookWorker = new WebhookDeliveryWorker(db, {
      guard: ssrfGuard,
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      pollMs: Math.max(config.OUTBOX_POLL_MS, 200),
      logger,
      ...(options.webhookRetryScale !== undefined ? { retryScale: options.webhookRetryScale } : {}),
    });
    const routing = new RoutingEngine(db, {
      logger,
      pollMs: Math.max(config.OUTBOX_POLL_MS * 10, 1000),
      onEvents: () => relay.poke(),
      ...(options.routingClock ? { clock: options.routingClock } : {}),
    });
    relay.register(routing.listener());
    let publicBaseUrl = config.PUBLIC_URL ?? 'http://localhost';
    const deps: AppDeps = {
      db,
      dbKind: handle.kind,
      dbStatus: handle.status,
      config,
      logger,
      relay,
      webhookWorker,
      ssrfGuard,
      metrics,
      rateLimits,
      uploadLinks,
      routing,
      kb,
      kbIndexer,
      llm,
    };
    const bot = new BotEngine(
      {
        db,
        logger,
        kb,
        llm,
        model: config.OPENAI_MODEL,
        timeoutMs: config.OPENAI_TIMEOUT_MS,
        publicBaseUrl: () => publicBaseUrl,
        relativeLinks: !config.PUBLIC_URL,
        linkAllowlist: config.BOT_LINK_ALLOWLIST.split(',')
          .map((h) => h.trim())
          .filter(Boolean),
        companyName: config.COMPANY_NAME,
        stream: (e) => deps.realtime?.emitBotStream(e),
      },
      { pollMs: Math.max(config.OUTBOX_POLL_MS * 4, 1000), onEvents: () => relay.poke() },
    );
    deps.bot = bot;
    deps.jobs = new JobRunner(db, {
      jobs: maintenanceJobs(config),
      logger,
      pollMs: config.JOBS_POLL_MS,
      clock: options.jobsClock ?? systemClock,
    });
    relay.register(bot.listener());
    registerListeners(relay, { db, logger, clock: routing.clock, realtime: () => deps.realtime });
    const workers = createWorkers({
      db,
      logger,
      clock: routing.clock,
      pollMs: config.OUTBOX_POLL_MS,
      onEvents: () => relay.poke(),
      realtime: () => deps.realtime,
      config,
      publicBaseUrl: () => publicBaseUrl,
    });
    deps.workers = workers;
    relay.register(enqueueWebhookDeliveries).register({
      name: 'metrics+webhook-kick',
      events: '*',
      afterCommit: (event) => {
        metrics.eventsDispatched.inc({ type: event.type });
        webhookWorker.poke();
      },
    });

    const app = createHttpApp(deps);
    const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const port = (server.address() as AddressInfo).port;
    if (!config.PUBLIC_URL) publicBaseUrl = `http://localhost:${port}`;
    for (const origin of config.PUBLIC_URL
      ? [new URL(config.PUBLIC_URL).origin]
      : [`http://localhost:${port}`, `http://127.0.0.1:${port}`])
      registerOwnOrigin(origin);
    const realtime = await createRealtime({
      httpServer: server as unknown as HttpServer,
      db,
      config,
      logger,
      relay,
      metrics,
      rateLimits,
    });
    deps.realtime = realtime;
    const collab = createCollab({ httpServer: server as unknown as HttpServer, db, config, logger, rateLimits });
    realtime.access.register((changes) => collab.recheck(changes));
    deps.liveAccess = realtime.access;
    realtime.presence.onChange((userId, status) => {
      routing.presenceChanged(userId, status).catch((err) => logger.error({ err }, 'routing presence update failed'));
    });
    routing.attachPresence(realtime.presence);
    deps.channels = await startChannels({ deps, publicBaseUrl: () => publicBaseUrl });
    relay.start();
    webhookWorker.start();
    routing.start();
    bot.start();
    kbIndexer?.start();
    deps.jobs.start();
    for (const w of Object.values(workers)) w.start();
    let closed = false;
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      deps,
      demo,
      async close() {
        if (closed) return;
        closed = true;
        await collab.close();
        await realtime.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Keep-alive sockets would hold close() open.
          (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
        await bot.stop();
        await deps.jobs?.stop();
        await kbIndexer?.stop();
        for (const w of Object.values(workers)) await w.stop();
        await routing.stop();
        await deps.channels?.close();
        await relay.stop();
        await webhookWorker.stop();
        limitsRedis?.disconnect();
        await handle.close();
      },
    };
  } catch (err) {
    await handle.close().catch(() => {});
    throw err;
  }
}
