import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Clock } from '../../server/src/domain/routing/clock';
import { type RunningServer, startServer } from '../../server/src/server';

export const ADMIN = { email: 'admin@test.autocrm.dev', password: 'test-admin-password' };

/** Which backend this run uses: Postgres when DATABASE_URL is set (CI), else in-memory PGlite. */
export const BACKEND = process.env.DATABASE_URL ? 'postgres' : 'pglite';

/** A fresh database on the Postgres server behind DATABASE_URL, dropped again by the returned function. */
export async function freshPostgresDatabase(baseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `autocrm_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestServer extends RunningServer {
  /** Sends a request; `auth` is an API key or a signed-in session. */
  req(method: string, path: string, opts?: ReqOptions): Promise<TestResponse>;
  /** Signs in and returns a session to pass as `auth`. */
  login(email?: string, password?: string): Promise<Session>;
  /** Creates an API key with these scopes (as the admin) and returns the key. */
  apiKey(scopes: string[]): Promise<string>;
  /** Waits until the outbox is empty (events dispatched to listeners). */
  settle(): Promise<void>;
  admin: Session;
  inboxId: string;
}

export interface Session {
  cookie: string;
  csrfToken: string;
  userId: string;
}

export interface ReqOptions {
  auth?: string | Session | undefined;
  body?: unknown;
  /** Raw body string; sent as is with `contentType`. */
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Leave out the CSRF header of a session (to test the guard). */
  noCsrf?: boolean;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export async function startTestServer(
  opts: {
    env?: Record<string, string>;
    webhookRetryScale?: number;
    databaseUrl?: string;
    logger?: Logger;
    clock?: Clock;
    /** The maintenance jobs' clock (move it, then `await deps.jobs!.runOnce()`). */
    jobsClock?: Clock;
    /** Leave the bot on in the test inbox (off by default). */
    bot?: boolean;
    /** PGlite data directory (default: in memory); a directory on disk survives a restart. */
    dataDir?: string;
  } = {},
): Promise<TestServer> {
  let drop: (() => Promise<void>) | undefined;
  let databaseUrl = opts.databaseUrl;
  if (!databaseUrl && process.env.DATABASE_URL) {
    const fresh = await freshPostgresDatabase(process.env.DATABASE_URL);
    databaseUrl = fresh.url;
    drop = fresh.drop;
  }
  const running = await startServer({
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      SEED_DEMO: 'false',
      // The /demo page follows SEED_DEMO by default; tests of the widget use it on an empty workspace.
      DEMO_PAGE: 'true',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      WEBHOOK_ALLOW_PRIVATE: 'loopback',
      OUTBOX_POLL_MS: '50',
      // Test servers share one Redis: each gets its own streams so no broadcast crosses between them.
      REDIS_PREFIX: `t${randomBytes(4).toString('hex')}`,
      WEBHOOK_TIMEOUT_MS: '2000',
      // Suites create visitors and send messages far faster than people do; rate limits have their own test.
      RATE_LIMIT_VISITORS: '100000',
      RATE_LIMIT_SOCKET_SENDS: '100000',
      RATE_LIMIT_ROOM_MISSES: '100000',
      RATE_LIMIT_TYPING: '100000',
      RATE_LIMIT_COLLAB_CONNECTIONS: '100000',
      RATE_LIMIT_COLLAB_MESSAGES: '100000',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      ...opts.env,
    },
    dataDir: opts.dataDir ?? 'memory://',
    ...(opts.webhookRetryScale !== undefined ? { webhookRetryScale: opts.webhookRetryScale } : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.clock ? { routingClock: opts.clock } : {}),
    ...(opts.jobsClock ? { jobsClock: opts.jobsClock } : {}),
  });

  const req = async (method: string, path: string, o: ReqOptions = {}): Promise<TestResponse> => {
    const headers: Record<string, string> = { ...o.headers };
    if (typeof o.auth === 'string') headers.authorization = `Bearer ${o.auth}`;
    else if (o.auth) {
      headers.cookie = o.auth.cookie;
      if (!o.noCsrf) headers['x-csrf-token'] = o.auth.csrfToken;
    }
    let body: string | undefined;
    if (o.raw !== undefined) {
      body = o.raw;
      headers['content-type'] = o.contentType ?? 'application/json';
    } else if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] = o.contentType ?? 'application/json';
    }
    const res = await fetch(`${running.url}/api/v1${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: leave the text
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  };

  const login = async (email = ADMIN.email, password = ADMIN.password): Promise<Session> => {
    const res = await fetch(`${running.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
    const setCookie = res.headers.get('set-cookie') ?? '';
    const body = (await res.json()) as { csrfToken: string; user: { id: string } };
    return { cookie: setCookie.split(';')[0] ?? '', csrfToken: body.csrfToken, userId: body.user.id };
  };

  const admin = await login();
  const inbox = await req('POST', '/inboxes', { auth: admin, body: { name: 'Test web inbox', channel: 'web' } });
  if (inbox.status !== 201) throw new Error(`inbox setup failed: ${inbox.text}`);
  // The bot answers new widget conversations first; suites about rooms, routing and the widget itself
  // talk to people directly unless they ask for the bot.
  if (!opts.bot) {
    const off = await req('PATCH', `/inboxes/${inbox.body.id}/widget`, { auth: admin, body: { bot: { enabled: false } } });
    if (off.status !== 200) throw new Error(`bot setup failed: ${off.text}`);
  }

  const apiKey = async (scopes: string[]) => {
    const res = await req('POST', '/api-keys', { auth: admin, body: { name: `test ${scopes.join(' ')}`, scopes } });
    if (res.status !== 201) throw new Error(`api key setup failed: ${res.text}`);
    return res.body.key as string;
  };

  const close = running.close.bind(running);
  return Object.assign(running, {
    req,
    login,
    apiKey,
    admin,
    inboxId: inbox.body.id as string,
    settle: () => running.deps.relay.settle(),
    async close() {
      await close();
      await drop?.();
    },
  });
}

/** Polls `check` until it returns a truthy value (never a fixed sleep). */
export async function waitFor<T>(check: () => Promise<T> | T, { timeoutMs = 10_000, intervalMs = 25 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
