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
import { openAiEmbedder } from './domain/kb/embeddings';
import { publishedLocales } from './domain/kb/published-locales';
import { warmKbSearch } from './domain/kb/warm-search';
import { GroupCommit } from './domain/messages/group-commit';
import { ensureReportRollups } from './domain/reports/rollups';
import { type Clock, systemClock } from './domain/routing/clock';
import { isOwnOrigin, registerOwnOrigin } from './domain/text/sanitize';
import { loadUploadLinkSecret, UploadLinks, useUploadLinks } from './domain/widget/upload-links';
import { createHttpApp } from './http/app';
import type { AppDeps } from './http/context';
import { registerListeners } from './listeners';
import { createLlmClient } from './llm/openai-client';
import { createMetrics } from './ops/metrics';
import { createRateLimits } from './ops/rate-limits';
import { createRealtime, type Realtime } from './realtime/socket-server';
import { seedDemoWorkspace } from './seed/seed-demo';
import { attachConfigCache, ConfigCache } from './storage/cache/config-cache';
import { redisCacheBus } from './storage/cache/redis-cache-bus';
import { openDatabase, waitForDatabase } from './storage/db';
import { describeMissing, detectCapabilities } from './storage/extensions';
import { SsrfGuard } from './webhooks/ssrf-guard';
import { createWorkers, startWorkers, stopWorkers, type Workers } from './workers';
import type { JobRunner } from './workers/job-runner';
import type { RoutingEngine } from './workers/routing-rounds';

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

/**
 * The transports' dependencies plus the background loops, which only the server (and tests, which run
 * a round after moving a clock) hold; routes and socket handlers never see a worker.
 */
export type ServerDeps = AppDeps & { workers: Workers; routing: RoutingEngine; jobs?: JobRunner | undefined };

export interface RunningServer {
  url: string;
  port: number;
  deps: ServerDeps;
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
    // Each pooled Postgres connection's first search is 5-8 times slower than the next: pay it now.
    if (handle.kind === 'postgres')
      await warmKbSearch(kb, { connections: Math.min(4, config.DB_POOL_SIZE), locales: await publishedLocales(db) }).catch(
        (err) => logger.warn({ err: err.message }, 'knowledge-base search warm-up failed'),
      );
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
    // Configuration read on every conversation, kept in memory and dropped in every process by events.
    const configCache = new ConfigCache(
      config.REDIS_URL ? redisCacheBus(config.REDIS_URL, config.REDIS_PREFIX, logger) : undefined,
    );
    configCache.onRead = (outcome) => metrics.configCacheReads.inc({ outcome });
    attachConfigCache(db, configCache);
    const uploadsOrigin = config.UPLOADS_ORIGIN ? new URL(config.UPLOADS_ORIGIN).origin : undefined;
    if (uploadsOrigin) registerOwnOrigin(uploadsOrigin);
    const uploadLinks = new UploadLinks(await loadUploadLinkSecret(db), {
      ttlSeconds: config.UPLOAD_LINK_TTL_SECONDS,
      uploadsOrigin,
      isOwnOrigin,
    });
    useUploadLinks(uploadLinks);
    const ssrfGuard = new SsrfGuard(config.WEBHOOK_ALLOW_PRIVATE);
    let publicBaseUrl = config.PUBLIC_URL ?? 'http://localhost';
    let realtimeRef: Realtime | undefined;
    const clock = options.routingClock ?? systemClock;
    const workers = createWorkers({
      db,
      logger,
      clock,
      jobsClock: options.jobsClock ?? systemClock,
      pollMs: config.OUTBOX_POLL_MS,
      realtime: () => realtimeRef,
      config,
      publicBaseUrl: () => publicBaseUrl,
      kb,
      llm,
      ssrfGuard,
      webhookRetryScale: options.webhookRetryScale,
    });
    const { relay } = workers;
    // Every commit that wrote events (any transport, command or worker) dispatches them at once.
    // A customer's message in a room the bot owns queues the bot's turn in its own transaction: the bot
    // starts at that commit, not after the relay's dispatch round (latency before the first token).
    handle.onBotTurnsCommitted(() => workers.bot.poke());
    handle.onEventsCommitted((events) => {
      configCache.dropCommitted(events);
      relay.poke();
    });
    const deps: ServerDeps = {
      db,
      dbKind: handle.kind,
      dbStatus: handle.status,
      config,
      logger,
      relay,
      ssrfGuard,
      metrics,
      rateLimits,
      uploadLinks,
      clock,
      kb,
      llm,
      jobs: workers.jobs,
      workers,
      routing: workers.routing,
    };
    registerListeners(relay, {
      db,
      logger,
      clock,
      realtime: () => realtimeRef,
      metrics,
      config,
      publicBaseUrl: () => publicBaseUrl,
      routing: workers.routing,
      bot: workers.bot,
      webhookWorker: workers.webhooks,
      kbIndexer: workers.kbEmbeddings,
      accountMails: workers.accountMails,
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
      metrics,
      rateLimits,
      // Sends arriving together share a transaction (a few in flight on Postgres' pool; PGlite runs one
      // at a time anyway); each group's messages reach their rooms from here right after its commit.
      sends: new GroupCommit(db, {
        maxInFlight: handle.kind === 'postgres' ? 4 : 1,
        maxGroup: 64,
        onCommitted: (events) => relay.dispatchEarly(events),
      }),
    });
    deps.realtime = realtime;
    realtimeRef = realtime;
    const collab = createCollab({ httpServer: server as unknown as HttpServer, db, config, logger, rateLimits });
    realtime.access.register((changes) => collab.recheck(changes));
    // A revoked key is refused by every process before the revoke answers: the access change that
    // re-checks live connections everywhere also drops the cached keys (the audit's invalidation
    // reaches the other processes through the outbox, possibly a little later).
    realtime.access.register(async (changes) => {
      if (changes.some((c) => c.kind === 'api_key')) configCache.drop(['api-keys']);
    });
    deps.liveAccess = realtime.access;
    deps.presence = realtime.presence;
    deps.redisStatus = () => realtime.redisStatus();
    realtime.presence.onChange((userId, status) =>
      workers.routing.presenceChanged(userId, status).catch((err) => logger.error({ err }, 'routing presence update failed')),
    );
    workers.routing.attachPresence(realtime.presence);
    deps.channels = await startChannels({ deps, publicBaseUrl: () => publicBaseUrl });
    startWorkers(workers);
    // Report rollups: built from the raw tables once on a database that never had them (an upgrade), in
    // the background: 100k conversations take minutes, and until then reports read the raw tables.
    const rollups = ensureReportRollups(db)
      .then((built) => built && logger.info('report rollups built'))
      .catch((err) => logger.error({ err }, 'report rollups rebuild failed; reports read the raw tables'));
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
        await stopWorkers(workers);
        await rollups;
        await deps.channels?.close();
        limitsRedis?.disconnect();
        await configCache.close();
        await handle.close();
      },
    };
  } catch (err) {
    await handle.close().catch(() => {});
    throw err;
  }
}
