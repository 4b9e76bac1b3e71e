import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Hono } from 'hono';
import { pendingWork, pingDatabase } from '../../domain/ops/health';
import type { AppDeps, AppEnv } from '../context';

const require = createRequire(import.meta.url);
const swaggerDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

/** Health, readiness, metrics and the API reference page: outside /api/v1 and its auth. */
export function opsRoutes(app: Hono<AppEnv>, deps: AppDeps) {
  const { db, metrics } = deps;
  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  // Postgres and Redis apart: without Postgres nothing can be stored (503, take this process out of the
  // balancer); without Redis the process still serves its own sockets and the API (200, `degraded`).
  app.get('/readyz', async (c) => {
    let postgres: 'up' | 'down' = 'up';
    try {
      // A database that drops packets does not answer at all: a slow `select 1` counts as down.
      await Promise.race([
        pingDatabase(db),
        new Promise((_, reject) => setTimeout(() => reject(new Error('slow')), deps.config.DB_CONNECT_TIMEOUT_MS).unref()),
      ]);
    } catch {
      postgres = 'down';
    }
    const redis = deps.redisStatus?.() ?? 'none';
    const status = postgres === 'down' ? 'down' : redis === 'down' ? 'degraded' : 'ready';
    return c.json({ status, postgres, redis }, postgres === 'down' ? 503 : 200);
  });

  app.get('/metrics', async (c) => {
    const pending = await pendingWork(db);
    metrics.outboxPending.set(pending.outbox);
    metrics.webhookPending.set(pending.webhooks);
    return c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType });
  });

  // The browsable reference, served from the swagger-ui-dist package so it works offline. Its scripts
  // are files of ours (no inline script); Swagger UI styles elements inline and draws data: icons.
  app.get('/api/docs', (c) =>
    c.html(
      `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>AutoCRM API reference</title><link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/assets/init.js"></script></body></html>`,
      200,
      {
        'Content-Security-Policy':
          "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
          "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      },
    ),
  );
  app.get('/api/docs/assets/init.js', (c) =>
    c.body("window.ui = SwaggerUIBundle({ url: '/api/v1/openapi.json', dom_id: '#ui' });", 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
    }),
  );
  app.get('/api/docs/assets/:file', async (c) => {
    const file = c.req.param('file');
    const type = ASSETS[file];
    if (!type) return c.notFound();
    const body = await readFile(path.join(swaggerDir, file));
    return c.body(body, 200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=86400' });
  });
}
