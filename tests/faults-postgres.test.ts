import { memoryStorage, RoomClient } from '@autocrm/shared/realtime-client';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, spawnServer } from './helpers/processes';
import { call, connected, newVisitor, visitorSocket } from './helpers/sockets';
import { TcpProxy } from './helpers/tcp-proxy';
import { ADMIN, freshPostgresDatabase, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Faults between the app and Postgres, injected through a TCP proxy this file controls (never the shared
// server itself). PGlite runs inside the process: there is no connection to lose, so these need Postgres.
const baseUrl = process.env.DATABASE_URL;
const FAST = { DB_CONNECT_TIMEOUT_MS: '1000', DB_STATEMENT_TIMEOUT_MS: '2000', DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '3000' };

async function countRows(url: string, sql: string, params: unknown[]): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows[0].n as number;
  } finally {
    await c.end();
  }
}

async function websiteTokenOf(url: string, cookie: string, csrfToken: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/inboxes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ name: 'Web', channel: 'web' }),
  });
  return ((await res.json()) as { websiteToken: string }).websiteToken;
}

describe.skipIf(!baseUrl)('Postgres faults (needs Postgres: PGlite has no connection to lose)', () => {
  let proxy: TcpProxy;
  let directUrl: string;
  let drop: () => Promise<void>;
  const cleanups: (() => Promise<void> | void)[] = [];

  beforeAll(async () => {
    const fresh = await freshPostgresDatabase(baseUrl as string);
    directUrl = fresh.url;
    drop = fresh.drop;
    const u = new URL(directUrl);
    proxy = await TcpProxy.start({ host: u.hostname, port: Number(u.port || 5432) });
  });
  afterEach(async () => {
    proxy.restore();
    while (cleanups.length) await cleanups.pop()?.();
  });
  afterAll(async () => {
    await proxy?.close();
    await drop?.();
  });

  it('connections reset under load: the process stays up, every acked message is stored once, it recovers', async () => {
    const server: ServerProcess = await spawnServer({
      DATABASE_URL: proxy.urlFor(directUrl),
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      SEED_DEMO: 'false',
      OUTBOX_POLL_MS: '50',
      ...FAST,
    });
    cleanups.push(() => server.kill());
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const websiteToken = await websiteTokenOf(server.url, cookie, ((await login.json()) as { csrfToken: string }).csrfToken);
    const v = await newVisitor(server.url, websiteToken);
    const client = new RoomClient({
      url: server.url,
      namespace: '/widget',
      auth: { websiteToken, visitorToken: v.visitorToken },
      storage: memoryStorage(),
      ackTimeoutMs: 5000,
      retryMaxMs: 1000,
    });
    cleanups.push(() => client.close());
    await new Promise<void>((r) => client.socket.once('connect', () => r()));
    const started = await client.socket.emitWithAck('conversation:start', { clientId: 'start', body: 'hello' });
    if (!started.ok) throw new Error(started.error.message);

    // Sends keep going while every connection to Postgres is reset three times.
    const texts = Array.from({ length: 60 }, (_, i) => `load ${i}`);
    const acked: number[] = [];
    const sends = texts.map((t) => client.send(started.conversationId, t).then((r) => acked.push(r.seq)));
    for (const after of [10, 25, 40]) {
      await waitFor(() => acked.length >= after, { timeoutMs: 60_000, intervalMs: 5 });
      proxy.reset();
    }
    const lastReset = Date.now();
    await Promise.all(sends);
    const recoveredMs = Date.now() - lastReset;

    expect(server.child.exitCode, server.output()).toBeNull();
    expect(server.output()).not.toMatch(/Unhandled 'error' event/);
    for (const t of texts)
      expect(
        await countRows(directUrl, 'select count(*)::int as n from messages where conversation_id = $1 and body_text = $2', [
          started.conversationId,
          t,
        ]),
        t,
      ).toBe(1);
    // Ready again within seconds (its `select 1` has a short deadline: on a loaded machine, just after the
    // last reset, one probe may still miss it). Loose on purpose: a matter of seconds, not of a restart.
    await waitFor(async () => (await fetch(`${server.url}/readyz`)).status === 200, { timeoutMs: 30_000 });
    expect(recoveredMs).toBeLessThan(30_000);
  }, 180_000);

  describe('with an in-process server behind the proxy', () => {
    let s: TestServer;
    let websiteToken: string;

    beforeAll(async () => {
      s = await startTestServer({ databaseUrl: proxy.urlFor(directUrl), env: FAST });
      const inboxes = await s.req('GET', '/inboxes', { auth: s.admin });
      websiteToken = inboxes.body.data.find((i: { id: string }) => i.id === s.inboxId).websiteToken;
    }, 60_000);
    afterAll(async () => {
      proxy.restore();
      await s?.close();
    });

    it('Postgres unreachable: sends fail fast with unavailable, /readyz is 503 naming postgres, then it recovers', async () => {
      const v = await newVisitor(s.url, websiteToken);
      const socket = visitorSocket(s.url, websiteToken, v.visitorToken);
      cleanups.push(() => void socket.disconnect());
      await connected(socket);
      const started = await call(socket, 'conversation:start', { clientId: 'u-start', body: 'hello' });
      expect(started.ok).toBe(true);

      proxy.blackhole();
      const first = await call(socket, 'message:send', { conversationId: started.conversationId, clientId: 'u-1', body: 'one' });
      expect(first).toMatchObject({ ok: false, error: { code: 'unavailable' } });
      // Now known to be down: the next ones are refused without waiting on the network.
      const second = await call(socket, 'message:send', { conversationId: started.conversationId, clientId: 'u-2', body: 'two' });
      expect(second).toMatchObject({ ok: false, error: { code: 'unavailable' } });
      expect(JSON.stringify(second)).not.toMatch(/127\.0\.0\.1|ECONN|timeout exceeded/);
      const ready = await fetch(`${s.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'down', postgres: 'down' });
      const api = await s.req('GET', '/conversations', { auth: s.admin });
      expect(api.status).toBe(503);
      expect(api.body.error.code).toBe('unavailable');
      expect(api.text).not.toMatch(/127\.0\.0\.1|ECONN/);

      proxy.restore();
      await waitFor(async () => (await fetch(`${s.url}/readyz`)).status === 200, { timeoutMs: 30_000 });
      const again = await call(socket, 'message:send', { conversationId: started.conversationId, clientId: 'u-2', body: 'two' });
      expect(again.ok).toBe(true);
      expect(
        await countRows(directUrl, 'select count(*)::int as n from messages where conversation_id = $1 and client_id = $2', [
          started.conversationId,
          'u-2',
        ]),
      ).toBe(1);
    }, 120_000);

    it('RoomClient reconnecting while the database is down retries, then delivers its outbox without a reload', async () => {
      const v = await newVisitor(s.url, websiteToken);
      const client = new RoomClient({
        url: s.url,
        namespace: '/widget',
        auth: { websiteToken, visitorToken: v.visitorToken },
        storage: memoryStorage(),
        ackTimeoutMs: 3000,
        retryMaxMs: 1000,
      });
      cleanups.push(() => client.close());
      await new Promise<void>((r) => client.socket.once('connect', () => r()));
      const started = await client.socket.emitWithAck('conversation:start', { clientId: 'rc-start', body: 'hi' });
      if (!started.ok) throw new Error(started.error.message);
      await client.join(started.conversationId);

      proxy.cut();
      const refusals: { message: string; code?: string }[] = [];
      client.socket.on('connect_error', (err: Error & { data?: { code?: string } }) =>
        refusals.push({ message: err.message, ...(err.data?.code ? { code: err.data.code } : {}) }),
      );
      // The page's connection drops (a deploy, a flaky network) and comes back while Postgres is away.
      client.socket.io.engine.close();
      await waitFor(() => refusals.length >= 2, { timeoutMs: 30_000 });
      expect(refusals.every((r) => r.code === 'unavailable')).toBe(true);
      expect(JSON.stringify(refusals)).not.toMatch(/127\.0\.0\.1|ECONN/);
      const sent = client.send(started.conversationId, 'written while the database was away');
      expect(client.pending()).toHaveLength(1);

      proxy.restore();
      const { seq } = await sent;
      expect(seq).toBeGreaterThan(0);
      expect(client.pending()).toHaveLength(0);
      expect(client.refusedFor).toBeUndefined();
    }, 120_000);
  });

  it('a process started while the database is down waits, says so, and starts once it is back', async () => {
    // The proxy is shared with the tests before: count only this child's refused attempts.
    const refusedBefore = proxy.refused;
    proxy.cut();
    const starting = spawnServer({
      DATABASE_URL: proxy.urlFor(directUrl),
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      SEED_DEMO: 'false',
      ...FAST,
    });
    cleanups.push(async () => (await starting.catch(() => undefined))?.kill());
    // The child's log is only handed over once it listens; the proxy counts its attempts meanwhile: it
    // keeps retrying (each attempt a refused connection) instead of exiting at the first one.
    let exited = false;
    starting.catch(() => (exited = true));
    await waitFor(() => proxy.refused - refusedBefore >= 3 || exited, { timeoutMs: 60_000 });
    expect(exited).toBe(false);
    proxy.restore();
    const server = await starting;
    expect(server.output()).toMatch(/database not reachable yet, retrying/);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  }, 120_000);
});
