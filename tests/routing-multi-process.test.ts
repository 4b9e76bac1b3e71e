import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, spawnPairOnFreshDatabase } from './helpers/processes';
import { agentSocket, connected, type TestSocket } from './helpers/sockets';
import { ADMIN, waitFor } from './helpers/test-server';

// 200 conversations arriving at once over two server processes sharing Postgres and Redis.
const enabled = !!process.env.DATABASE_URL && !!process.env.REDIS_URL;

describe.skipIf(!enabled)('routing across two processes', () => {
  let a: ServerProcess;
  let b: ServerProcess;
  let drop: () => Promise<void>;
  let db: pg.Client;
  let key: string;
  const sockets: TestSocket[] = [];
  const agents: { id: string; name: string; capacity: number }[] = [];
  let teamId: string;
  let inboxId: string;

  const api = async (
    server: ServerProcess,
    method: string,
    path: string,
    body?: unknown,
    auth = { authorization: `Bearer ${key}` },
  ) => {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...auth },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };

  beforeAll(async () => {
    const pair = await spawnPairOnFreshDatabase();
    ({ a, b, drop } = pair);
    db = new pg.Client({ connectionString: pair.databaseUrl });
    await db.connect();
    const login = await fetch(`${a.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    key = (
      await api(a, 'POST', '/api-keys', { name: 'routing test', scopes: ['admin'] }, {
        cookie,
        'x-csrf-token': csrfToken,
      } as never)
    ).key;

    // Ten agents: five take 6 conversations at once, five take 10 (80 seats for 200 conversations).
    for (let i = 0; i < 10; i++) {
      const email = `agent${i}@test.autocrm.dev`;
      const user = await api(a, 'POST', '/users', { email, name: `Agent ${i}`, role: 'agent', password: 'agent-password-1' });
      agents.push({ id: user.id, name: user.name, capacity: i < 5 ? 6 : 10 });
    }
    inboxId = (await api(b, 'POST', '/inboxes', { name: 'Web', channel: 'web', members: agents.map((x) => x.id) })).id;
    teamId = (await api(a, 'POST', '/teams', { name: 'Everyone', members: agents.map((x) => ({ userId: x.id })) })).id;
    for (const ag of agents) await api(b, 'PATCH', `/routing/agents/${ag.id}`, { capacity: { max: ag.capacity } });
    // Each agent's socket on one of the two processes: presence is seen across both.
    for (const [i, ag] of agents.entries()) {
      const server = i % 2 ? b : a;
      const res = await fetch(`${server.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `agent${i}@test.autocrm.dev`, password: 'agent-password-1' }),
      });
      const body = (await res.json()) as { csrfToken: string; user: { id: string } };
      const s = agentSocket(server.url, {
        cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '',
        csrfToken: body.csrfToken,
        userId: ag.id,
      });
      sockets.push(s);
      await connected(s);
    }
    await waitFor(
      async () =>
        (await api(a, 'GET', '/routing/agents')).data.filter((x: { presence: string }) => x.presence === 'online').length === 10,
      {
        timeoutMs: 20_000,
      },
    );
  }, 180_000);

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await db?.end();
    await a?.kill();
    await b?.kill();
    await drop?.();
  });

  const spread = async () => {
    const { rows } = await db.query(
      `select assignee_id, count(*)::int as n from conversations where assignee_id is not null and status_category = 'open' group by assignee_id`,
    );
    return new Map<string, number>(rows.map((r) => [r.assignee_id, r.n]));
  };

  const arrive = (count: number, from: number) =>
    Promise.all(
      Array.from({ length: count }, (_, i) =>
        api((from + i) % 2 ? b : a, 'POST', '/conversations', {
          inboxId,
          teamId,
          contact: {},
          message: { body: `arrival ${from + i}` },
        }),
      ),
    );
  const states = async () => {
    const { rows } = await db.query(`select state, count(*)::int as n from conversation_routing group by state`);
    return Object.fromEntries(rows.map((r) => [r.state, r.n])) as Record<string, number>;
  };
  const show = (m: Map<string, number>) => agents.map((ag) => `${ag.name}: ${m.get(ag.id) ?? 0}/${ag.capacity}`).join(', ');

  it('spreads by load relative to capacity, fills every seat and no more, each conversation assigned once, then backfills', async () => {
    // Wave 1: 40 at once for 80 seats. Least loaded relative to capacity leaves everyone exactly half full.
    const wave1 = await arrive(40, 0);
    await waitFor(async () => (await states()).assigned === 40, { timeoutMs: 60_000, intervalMs: 100 });
    const half = await spread();
    console.log('40 simultaneous conversations over two processes (assigned/capacity):', show(half));
    for (const ag of agents) expect(half.get(ag.id) ?? 0).toBe(ag.capacity / 2);

    // Wave 2: 160 more at once: every seat fills, the other 120 wait.
    const wave2 = await arrive(160, 40);
    expect(new Set([...wave1, ...wave2].map((c) => c.id)).size).toBe(200);
    await waitFor(
      async () => {
        const by = await states();
        return by.assigned === 80 && by.queued === 120;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    const first = await spread();
    console.log('after 200 (assigned/capacity):', show(first));
    for (const ag of agents) expect(first.get(ag.id) ?? 0).toBe(ag.capacity); // full, never over
    const { rows: twice } = await db.query(
      `select payload->'conversation'->>'id' as id, count(*)::int as n from outbox where type = 'conversation.assigned' group by 1 having count(*) > 1`,
    );
    expect(twice).toEqual([]);

    // Free 30 seats at once, half through each process: the queue is backfilled, still nobody over capacity.
    const statuses = (await api(a, 'GET', '/statuses')).data as { id: string; category: string }[];
    const resolved = statuses.find((x) => x.category === 'resolved')?.id;
    const { rows: toResolve } = await db.query(
      `select id from conversations where assignee_id is not null order by number limit 30`,
    );
    await Promise.all(toResolve.map((r, i) => api(i % 2 ? a : b, 'PATCH', `/conversations/${r.id}`, { statusId: resolved })));
    await waitFor(
      async () => {
        const { rows } = await db.query(`select count(*)::int as n from conversation_routing where state = 'queued'`);
        return rows[0].n === 90;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    const after = await spread();
    console.log('after 30 resolved and backfilled:', show(after));
    for (const ag of agents) expect(after.get(ag.id) ?? 0).toBe(ag.capacity);
    const { rows: again } = await db.query(
      `select payload->'conversation'->>'id' as id, count(*)::int as n from outbox where type = 'conversation.assigned' group by 1 having count(*) > 1`,
    );
    expect(again).toEqual([]);
    const { rows: total } = await db.query(`select count(*)::int as n from outbox where type = 'conversation.assigned'`);
    expect(total[0].n).toBe(110);
  });
});
