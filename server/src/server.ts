import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import pino, { type Logger } from 'pino';
import { migrateToLatest } from '../../db/migrate';
import { seedDemoWorkspace } from '../../db/seed-demo';
import { bootstrapWorkspace } from './bootstrap';
import { type Config, loadConfig } from './config';
import type { Clock } from './domain/routing/clock';
import { RoutingEngine } from './domain/routing/routing-engine';
import { OutboxRelay } from './events/relay';
import { createHttpApp } from './http/app';
import type { AppDeps } from './http/context';
import { createMetrics } from './ops/metrics';
import { createRealtime } from './realtime/socket-server';
import { openDatabase } from './storage/db';
import { WebhookDeliveryWorker } from './webhooks/delivery-worker';
import { enqueueWebhookDeliveries } from './webhooks/enqueue-deliveries';
import { SsrfGuard } from './webhooks/ssrf-guard';

export interface StartOptions {
  env?: Record<string, string | undefined>;
  /** Overrides for tests: an in-memory PGlite is `memory://`. */
  dataDir?: string;
  logger?: Logger;
  webhookRetryScale?: number;
  /** Routing's clock (tests move it by hand). */
  routingClock?: Clock;
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
  const handle = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: options.dataDir ?? config.DATA_DIR });
  const { db } = handle;
  try {
    const applied = await migrateToLatest(db);
    if (applied.length) logger.info({ applied }, 'migrations applied');
    const admin =
      config.ADMIN_EMAIL && config.ADMIN_PASSWORD ? { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD } : undefined;
    const boot = await bootstrapWorkspace(db, admin);
    const demo =
      config.SEED_DEMO === 'true' ? await seedDemoWorkspace(db, { fresh: boot.fresh, adminFromEnv: admin }) : undefined;

    const metrics = createMetrics();
    const ssrfGuard = new SsrfGuard(config.WEBHOOK_ALLOW_PRIVATE);
    const relay = new OutboxRelay(db, { pollMs: config.OUTBOX_POLL_MS, logger });
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
    relay.register(enqueueWebhookDeliveries).register({
      name: 'metrics+webhook-kick',
      events: '*',
      afterCommit: (event) => {
        metrics.eventsDispatched.inc({ type: event.type });
        webhookWorker.poke();
      },
    });

    const deps: AppDeps = { db, dbKind: handle.kind, config, logger, relay, webhookWorker, ssrfGuard, metrics, routing };
    const app = createHttpApp(deps);
    const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const port = (server.address() as AddressInfo).port;
    const realtime = await createRealtime({ httpServer: server as unknown as HttpServer, db, config, logger, relay });
    deps.realtime = realtime;
    realtime.presence.onChange((userId, status) => {
      routing.presenceChanged(userId, status).catch((err) => logger.error({ err }, 'routing presence update failed'));
    });
    routing.attachPresence(realtime.presence);
    relay.start();
    webhookWorker.start();
    routing.start();
    let closed = false;
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      deps,
      demo,
      async close() {
        if (closed) return;
        closed = true;
        await realtime.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Keep-alive sockets would hold close() open.
          (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
        await routing.stop();
        await relay.stop();
        await webhookWorker.stop();
        await handle.close();
      },
    };
  } catch (err) {
    await handle.close().catch(() => {});
    throw err;
  }
}
