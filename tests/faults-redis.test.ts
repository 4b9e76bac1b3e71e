import { randomBytes } from 'node:crypto';
import { RoomClient } from '@autocrm/shared/realtime-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PrivateRedis } from './helpers/redis-server';
import { agentSocket, call, collect, connected, newVisitor, visitorSocket, websiteTokenOf } from './helpers/sockets';
import { freshPostgresDatabase, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Redis is killed and brought back by these tests: a private redis-server on a free port, never the shared one.

describe('Redis killed, one process', () => {
  let redis: PrivateRedis;
  let s: TestServer;
  let websiteToken: string;
  const cleanups: (() => void)[] = [];

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    s = await startTestServer({ env: { REDIS_URL: redis.url } });
    websiteToken = await websiteTokenOf(s);
  }, 60_000);
  afterEach(() => {
    while (cleanups.length) cleanups.pop()?.();
  });
  afterAll(async () => {
    await s?.close();
    await redis?.stop();
  });

  it('keeps live delivery between sockets of the same process, and the connect and join paths answer', async () => {
    const v = await newVisitor(s.url, websiteToken);
    const visitor = visitorSocket(s.url, websiteToken, v.visitorToken);
    const agent = agentSocket(s.url, s.admin);
    cleanups.push(
      () => visitor.disconnect(),
      () => agent.disconnect(),
    );
    await Promise.all([connected(visitor), connected(agent)]);
    const started = await call(visitor, 'conversation:start', { clientId: 'r-start', body: 'hello' });
    expect((await call(agent, 'room:join', { conversationId: started.conversationId, lastSeq: 0 })).ok).toBe(true);
    const live = collect(agent, 'message');

    await redis.stop();
    await waitFor(async () => ((await (await fetch(`${s.url}/readyz`)).json()) as { redis: string }).redis === 'down');
    const ready = await fetch(`${s.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'degraded', postgres: 'up', redis: 'down' });

    const sent = await call(visitor, 'message:send', {
      conversationId: started.conversationId,
      clientId: 'r-1',
      body: 'while redis is away',
    });
    expect(sent.ok).toBe(true);
    await waitFor(() => live.some((e) => e.message.bodyText === 'while redis is away'));

    // Nothing on the connect or join path waits for Redis: a new agent socket (presence), a join (viewers),
    // the widget's config (agents online).
    const late = agentSocket(s.url, s.admin);
    cleanups.push(() => late.disconnect());
    await connected(late);
    expect((await call(late, 'room:join', { conversationId: started.conversationId, lastSeq: 0 })).ok).toBe(true);
    const config = await fetch(`${s.url}/widget-api/v1/config?websiteToken=${websiteToken}`, {
      signal: AbortSignal.timeout(10_000),
    });
    expect(config.status).toBe(200);
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metrics).toMatch(/autocrm_redis_up 0/);
    expect(metrics).toMatch(/autocrm_redis_publish_failures_total [1-9]/);

    await redis.start();
    await waitFor(async () => ((await (await fetch(`${s.url}/readyz`)).json()) as { status: string }).status === 'ready', {
      timeoutMs: 30_000,
    });
  }, 120_000);
});

describe.skipIf(!process.env.DATABASE_URL)(
  'Redis killed, two processes (needs Postgres: two processes cannot share PGlite)',
  () => {
    let redis: PrivateRedis;
    let a: TestServer;
    let b: TestServer;
    let drop: () => Promise<void>;
    const clients: RoomClient[] = [];

    beforeAll(async () => {
      redis = await PrivateRedis.start();
      const fresh = await freshPostgresDatabase(process.env.DATABASE_URL as string);
      drop = fresh.drop;
      const env = { REDIS_URL: redis.url, REDIS_PREFIX: `t${randomBytes(4).toString('hex')}` };
      a = await startTestServer({ databaseUrl: fresh.url, env });
      b = await startTestServer({ databaseUrl: fresh.url, env });
    }, 60_000);
    afterAll(async () => {
      for (const c of clients) c.close();
      await a?.close();
      await b?.close();
      await drop?.();
      await redis?.stop();
    });

    it('resumes across processes when Redis is back and the clients catch up on what they missed, nothing lost', async () => {
      const websiteToken = await websiteTokenOf(b);
      const v = await newVisitor(b.url, websiteToken);
      const visitorOnB = new RoomClient({
        url: b.url,
        namespace: '/widget',
        auth: { websiteToken, visitorToken: v.visitorToken },
        ackTimeoutMs: 5000,
      });
      clients.push(visitorOnB);
      await new Promise<void>((r) => visitorOnB.socket.once('connect', () => r()));
      const started = await visitorOnB.socket.emitWithAck('conversation:start', { clientId: 'x-start', body: 'hello' });
      if (!started.ok) throw new Error(started.error.message);
      const conversationId = started.conversationId;
      await visitorOnB.join(conversationId);

      const agentOnA = new RoomClient({ url: a.url, namespace: '/agent', auth: {}, extraHeaders: { cookie: a.admin.cookie } });
      clients.push(agentOnA);
      const seen: string[] = [];
      const seqs: number[] = [];
      agentOnA.onEvent((e) => {
        seen.push(e.message.bodyText);
        seqs.push(e.eventSeq);
      });
      await agentOnA.join(conversationId);
      await visitorOnB.send(conversationId, 'before');
      await waitFor(() => seen.includes('before'));

      // An agent on the visitor's process keeps getting them live while Redis is away.
      const agentOnB = agentSocket(b.url, b.admin);
      await connected(agentOnB);
      expect((await call(agentOnB, 'room:join', { conversationId, lastSeq: 0 })).ok).toBe(true);
      const liveOnB = collect(agentOnB, 'message');

      await redis.stop();
      const during = Array.from({ length: 10 }, (_, i) => `during ${i}`);
      for (const t of during) await visitorOnB.send(conversationId, t);
      // A deadline, not a speed test: on a loaded CI machine the first sends after the kill take a while.
      await waitFor(() => during.every((t) => liveOnB.some((e) => e.message.bodyText === t)), { timeoutMs: 60_000 });
      agentOnB.disconnect();
      // The agent on A opens another view of the room meanwhile: the join answers without Redis.
      const second = agentSocket(a.url, a.admin);
      await connected(second);
      expect((await call(second, 'room:join', { conversationId, lastSeq: 0 })).ok).toBe(true);
      second.disconnect();

      await redis.start();
      // No reconnect, no new message: the agent's client is told to catch up and gets what it missed.
      await waitFor(() => during.every((t) => seen.includes(t)), { timeoutMs: 60_000 });
      await visitorOnB.send(conversationId, 'after');
      await waitFor(() => seen.includes('after'), { timeoutMs: 30_000 });
      expect(new Set(seqs).size).toBe(seqs.length);
      expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
      for (const t of during) expect(seen.filter((x) => x === t)).toHaveLength(1);
    }, 180_000);
  },
);
