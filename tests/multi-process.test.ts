import { randomBytes } from 'node:crypto';
import { memoryStorage, RoomClient } from '@autocrm/shared/realtime-client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, spawnServer } from './helpers/processes';
import { call, connected, newVisitor, visitorSocket } from './helpers/sockets';
import { ADMIN, freshPostgresDatabase, waitFor } from './helpers/test-server';

// Two server processes behind one Postgres and one Redis, as behind a load balancer.
const enabled = !!process.env.DATABASE_URL && !!process.env.REDIS_URL;

describe.skipIf(!enabled)('two server processes sharing Postgres and Redis', () => {
  let a: ServerProcess;
  let b: ServerProcess;
  let databaseUrl: string;
  let drop: () => Promise<void>;
  let env: Record<string, string>;
  let websiteToken: string;
  let cookie: string;
  let csrfToken: string;
  const clients: RoomClient[] = [];

  beforeAll(async () => {
    const fresh = await freshPostgresDatabase(process.env.DATABASE_URL as string);
    databaseUrl = fresh.url;
    drop = fresh.drop;
    env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: process.env.REDIS_URL as string,
      REDIS_PREFIX: `t${randomBytes(4).toString('hex')}`,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      SEED_DEMO: 'false',
      OUTBOX_POLL_MS: '50',
    };
    a = await spawnServer(env);
    b = await spawnServer(env);
    const login = await fetch(`${a.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    ({ csrfToken } = (await login.json()) as { csrfToken: string });
    const inbox = await fetch(`${b.url}/api/v1/inboxes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ name: 'Web', channel: 'web' }),
    });
    websiteToken = ((await inbox.json()) as { websiteToken: string }).websiteToken;
  }, 120_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    await a?.kill();
    await b?.kill();
    await drop?.();
  });

  it('stores a client id sent five times at once over both processes once, every ack with one seq', async () => {
    const v = await newVisitor(a.url, websiteToken);
    const onA = visitorSocket(a.url, websiteToken, v.visitorToken);
    const onB = visitorSocket(b.url, websiteToken, v.visitorToken);
    await Promise.all([connected(onA), connected(onB)]);
    const started = await call(onA, 'conversation:start', { clientId: 'first', body: 'hello' });
    const sends = [onA, onB, onA, onB, onA].map((sock) =>
      call(sock, 'message:send', { conversationId: started.conversationId, clientId: 'dup', body: 'once please' }),
    );
    const acks = await Promise.all(sends);
    expect(acks.every((x) => x.ok)).toBe(true);
    expect(new Set(acks.map((x) => x.seq)).size).toBe(1);
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const { rows } = await db.query('select count(*)::int as n from messages where conversation_id = $1 and client_id = $2', [
      started.conversationId,
      'dup',
    ]);
    await db.end();
    expect(rows[0].n).toBe(1);
    onA.disconnect();
    onB.disconnect();
  });

  it('shares presence, viewers and typing across processes', async () => {
    const v = await newVisitor(b.url, websiteToken);
    const visitorOnB = visitorSocket(b.url, websiteToken, v.visitorToken);
    await connected(visitorOnB);
    const started = await call(visitorOnB, 'conversation:start', { clientId: 'p1', body: 'anyone there?' });
    const { agentSocket, collect } = await import('./helpers/sockets');
    const session = { cookie, csrfToken: '', userId: '' };
    const onA = agentSocket(a.url, session);
    const presence = collect(onA, 'presence');
    const typing = collect(onA, 'typing');
    const viewers = collect(onA, 'viewers');
    await connected(onA);
    await call(onA, 'room:join', { conversationId: started.conversationId, lastSeq: 0 });
    const onB = agentSocket(b.url, session);
    await connected(onB);
    await waitFor(() => presence.some((p) => p.status === 'online'));
    const joinedOnB = await call(onB, 'room:join', { conversationId: started.conversationId, lastSeq: 0 });
    expect(joinedOnB.ok).toBe(true);
    // Viewers are computed through the adapter: the agent's two sockets on two processes are one viewer.
    await waitFor(() => viewers.length > 0);
    visitorOnB.emit('typing', { conversationId: started.conversationId, typing: true });
    await waitFor(() => typing.some((t) => t.participant.kind === 'contact' && t.typing));
    await call(onB, 'presence:set', { status: 'away' });
    await call(onA, 'presence:set', { status: 'away' });
    await waitFor(() => presence.some((p) => p.status === 'away'));
    onA.disconnect();
    onB.disconnect();
    visitorOnB.disconnect();
  });

  it('notifications marked read through one process reach the tabs on the other', async () => {
    const { agentSocket, collect } = await import('./helpers/sockets');
    const onB = agentSocket(b.url, { cookie, csrfToken, userId: '' });
    const reads = collect(onB, 'notifications:read');
    await connected(onB);
    const marked = await fetch(`${a.url}/api/v1/notifications/read`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ all: true }),
    });
    expect(marked.status).toBe(200);
    await waitFor(() => reads.length === 1);
    expect(reads[0]).toEqual({ unread: 0, ids: 'all' });
    onB.disconnect();
  });

  it('delivers across processes and loses nothing when one dies with sends in flight', async () => {
    const v = await newVisitor(a.url, websiteToken);
    const storage = memoryStorage();
    const auth = { websiteToken, visitorToken: v.visitorToken };
    const visitorOnA = new RoomClient({ url: a.url, namespace: '/widget', auth, storage, ackTimeoutMs: 2000 });
    clients.push(visitorOnA);
    await new Promise<void>((r) => visitorOnA.socket.once('connect', () => r()));
    const started = await visitorOnA.socket.emitWithAck('conversation:start', { clientId: 'start', body: 'I need a person' });
    if (!started.ok) throw new Error(started.error.message);
    const conversationId = started.conversationId;
    await visitorOnA.join(conversationId);

    const agentOnB = new RoomClient({ url: b.url, namespace: '/agent', auth: {}, extraHeaders: { cookie } });
    clients.push(agentOnB);
    const atAgent: number[] = [];
    const bodiesAtAgent: string[] = [];
    agentOnB.onEvent((e) => {
      atAgent.push(e.eventSeq);
      bodiesAtAgent.push(e.message.bodyText);
    });
    await agentOnB.join(conversationId);
    const atVisitor: string[] = [];
    visitorOnA.onEvent((e) => atVisitor.push(e.message.bodyText));

    // Across processes: visitor on A, agent on B.
    await visitorOnA.send(conversationId, 'ping from A');
    await waitFor(() => bodiesAtAgent.includes('ping from A'));
    await agentOnB.send(conversationId, 'pong from B');
    await waitFor(() => atVisitor.includes('pong from B'));

    // Sends in flight when A dies (SIGKILL: no shutdown hooks run).
    const acked: number[] = [];
    const texts = Array.from({ length: 30 }, (_, i) => `burst ${i}`);
    const sends = texts.map((t) => visitorOnA.send(conversationId, t).then((r) => acked.push(r.seq)));
    await waitFor(() => acked.length >= 3, { timeoutMs: 20_000, intervalMs: 1 });
    await a.kill('SIGKILL');
    void Promise.allSettled(sends);

    // The visitor's page reconnects through the load balancer, now to B, with its unsent messages.
    const visitorOnB = new RoomClient({ url: b.url, namespace: '/widget', auth, storage });
    clients.push(visitorOnB);
    visitorOnA.close();
    await visitorOnB.join(conversationId);
    await waitFor(() => visitorOnB.pending().length === 0, { timeoutMs: 30_000 });

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const { rows } = await db.query('select seq, body_text from messages where conversation_id = $1 order by seq', [
      conversationId,
    ]);
    await db.end();
    const stored = rows.map((r: { body_text: string }) => r.body_text);
    for (const t of texts)
      expect(
        stored.filter((x: string) => x === t),
        t,
      ).toHaveLength(1);
    for (const seq of acked) expect(rows.some((r: { seq: number }) => r.seq === seq)).toBe(true);

    // The agent on B sees every message once, in order.
    const lastSeq = rows.at(-1)?.seq as number;
    await waitFor(() => atAgent.at(-1) === lastSeq, { timeoutMs: 20_000 });
    expect(new Set(atAgent).size).toBe(atAgent.length);
    expect([...atAgent].sort((x, y) => x - y)).toEqual(atAgent);
    for (const t of texts)
      expect(
        bodiesAtAgent.filter((x) => x === t),
        t,
      ).toHaveLength(1);
  });
});
