/**
 * `npm run bench [-- scenario ...] [--quick]`: runs each scenario against the real server (started here
 * as its own process) and its baseline in the same run, then prints our figure, the baseline's and the
 * ratio as a table and as JSON (bench/results/latest.json). PGlite by default; Postgres and Redis when
 * DATABASE_URL / REDIS_URL are set.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { migrateToLatest } from '../db/migrate';
import { reportAgents } from '../server/src/domain/reports/agents';
import { reportHeatmap } from '../server/src/domain/reports/heatmap';
import { reportKnowledge } from '../server/src/domain/reports/knowledge';
import { reportMacros } from '../server/src/domain/reports/macros';
import { reportOverview } from '../server/src/domain/reports/overview';
import { rebuildReportRollups } from '../server/src/domain/reports/rollups';
import { reportService } from '../server/src/domain/reports/service';
import { reportTimeseries } from '../server/src/domain/reports/timeseries';
import { loadSampleKb } from '../server/src/seed/seed-demo-kb';
import { type Db, openDatabase } from '../server/src/storage/db';
import { PrivateRedis } from '../tests/helpers/redis-server';
import { TcpProxy } from '../tests/helpers/tcp-proxy';
import { freshPostgresDatabase } from '../tests/helpers/test-server';
// @ts-expect-error: a plain .mjs build script without types
import { buildWidget } from '../widget/build.mjs';
import { generateCorpus } from './kb/generate-corpus';
import { measureFaults } from './lib/fault-scenario';
import { type Proc, ROOT, runLoad, startProcess } from './lib/processes';
import { seedBigInbox } from './lib/seed-inbox';
import { seedPresenceAndViews, seedReportHistory } from './lib/seed-report-history';
import { type SeededRooms, seedWidgetRooms } from './lib/seed-rooms';
import { percentile } from './lib/stats';

interface Row {
  scenario: string;
  metric: string;
  ours: number | null;
  baseline: number | null;
  baselineName: string;
  /** ours / baseline, oriented so that > 1 means we do more (throughput) or take longer (latency). */
  ratio: number | null;
  unit: string;
}

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const picked = argv.filter((a) => !a.startsWith('--'));
const ADMIN = { email: 'bench@autocrm.dev', password: 'bench-admin-password' };
const backend = process.env.DATABASE_URL ? 'postgres' : 'pglite';
const round1 = (n: number) => Math.round(n * 10) / 10;
const ratio = (a: number | null, b: number | null) => (a !== null && b ? Number((a / b).toFixed(2)) : null);

/**
 * BENCH_PROFILE=cpu: each server writes a V8 CPU profile on exit (bench/lib/profile-summary.ts reads it);
 * BENCH_PROFILE=sql: each server writes the time spent per SQL statement (bench/lib/sql-tally.mjs).
 */
function profileFlags(): string[] {
  const want = process.env.BENCH_PROFILE ?? '';
  const dir = path.join(ROOT, 'bench/results/profiles');
  return [
    ...(want.includes('cpu') ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []),
    ...(want.includes('sql') ? ['--import', path.join(ROOT, 'bench/lib/sql-tally.mjs')] : []),
  ];
}

async function startAutocrm(
  opts: {
    env?: Record<string, string>;
    prepare?: (db: Db) => Promise<void>;
    /** Another server's database (Postgres): this one joins it instead of getting a fresh one. */
    databaseUrl?: string;
  } = {},
): Promise<{ proc: Proc; url: string; databaseUrl?: string; cleanup(): Promise<void> }> {
  let databaseUrl = opts.databaseUrl;
  let drop: (() => Promise<void>) | undefined;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'autocrm-bench-'));
  if (process.env.DATABASE_URL && !databaseUrl)
    ({ url: databaseUrl, drop } = await freshPostgresDatabase(process.env.DATABASE_URL));
  if (opts.prepare) {
    // Data the scenario needs, written before the server starts (PGlite allows one process at a time).
    const handle = await openDatabase({ databaseUrl, dataDir });
    await migrateToLatest(handle.db);
    await opts.prepare(handle.db);
    await handle.close();
  }
  const redisPrefix = opts.env?.REDIS_PREFIX ?? `bench${Date.now()}`;
  const proc = await startProcess(
    'server/src/main.ts',
    {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      OUTBOX_POLL_MS: '100',
      // The load generators are a few addresses playing thousands of visitors: per-address and
      // per-sender limits would measure the limiter, not the hub.
      RATE_LIMIT_VISITORS: '1000000',
      RATE_LIMIT_SOCKET_SENDS: '1000000',
      RATE_LIMIT_ROOM_MISSES: '1000000',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      ...opts.env,
      REDIS_PREFIX: redisPrefix,
    },
    /running at http:\/\/localhost:(\d+)/,
    profileFlags(),
  );
  const url = `http://127.0.0.1:${proc.match[1]}`;
  return {
    proc,
    url,
    ...(databaseUrl ? { databaseUrl } : {}),
    async cleanup() {
      await proc.kill();
      await drop?.();
      rmSync(dataDir, { recursive: true, force: true });
      // The adapter's stream outlives the server: without this every run leaves one in a shared Redis.
      if (process.env.REDIS_URL) {
        const redis = new Redis(process.env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
        await redis
          .connect()
          .then(async () => {
            const keys = await redis.keys(`${redisPrefix}:*`);
            if (keys.length) await redis.del(...keys);
          })
          .catch(() => {})
          .finally(() => redis.disconnect());
      }
    },
  };
}

async function login(url: string, email: string, password: string) {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login ${res.status}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '', csrfToken };
}

async function api(url: string, session: { cookie: string; csrfToken: string }, method: string, p: string, body?: unknown) {
  const res = await fetch(`${url}/api/v1${p}`, {
    method,
    headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrfToken },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<any>;
}

const scenarios: Record<string, () => Promise<Row[]>> = {
  /** Postgres reset and unreachable, Redis killed, under load on two processes: recovery times. */
  async faults() {
    if (!process.env.DATABASE_URL)
      return [
        {
          scenario: 'faults',
          metric: 'skipped',
          ours: null,
          baseline: null,
          baselineName: '–',
          ratio: null,
          unit: 'needs DATABASE_URL (the faults are between processes and Postgres)',
        },
      ];
    const fresh = await freshPostgresDatabase(process.env.DATABASE_URL);
    const direct = new URL(fresh.url);
    const proxy = await TcpProxy.start({ host: direct.hostname, port: Number(direct.port || 5432) });
    const redis = await PrivateRedis.start();
    const env = { REDIS_URL: redis.url, REDIS_PREFIX: `bfault${Date.now()}` };
    const servers: Awaited<ReturnType<typeof startAutocrm>>[] = [];
    try {
      servers.push(await startAutocrm({ databaseUrl: proxy.urlFor(fresh.url), env }));
      servers.push(await startAutocrm({ databaseUrl: proxy.urlFor(fresh.url), env }));
      const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]];
      const admin = await login(a.url, ADMIN.email, ADMIN.password);
      const inbox = await api(a.url, admin, 'POST', '/inboxes', { name: 'Faults', channel: 'web' });
      const figures = await measureFaults({
        a: a.url,
        b: b.url,
        websiteToken: inbox.websiteToken,
        agentCookie: admin.cookie,
        proxy,
        redis,
        holdMs: quick ? 3000 : 10_000,
        rate: quick ? 10 : 40,
      });
      const exited = servers.filter((x) => x.proc.child.exitCode !== null).length;
      return [
        ...figures.map((f) => ({
          scenario: 'faults',
          metric: f.metric,
          ours: f.ms,
          baseline: null,
          baselineName: '–',
          ratio: null,
          unit: f.metric.startsWith('sends acked') ? 'messages' : 'ms',
        })),
        {
          scenario: 'faults',
          metric: 'processes exited',
          ours: exited,
          baseline: null,
          baselineName: '–',
          ratio: null,
          unit: 'of 2',
        },
      ];
    } finally {
      for (const x of servers) await x.cleanup();
      await proxy.close();
      await redis.stop();
      await fresh.drop();
    }
  },
  async 'message-path'() {
    const rooms = quick ? 10 : 1000;
    const rates = quick ? [50] : [100, 200, 400, 800];
    const seconds = quick ? 2 : 10;
    const server = await startAutocrm();
    const ws = await startProcess('bench/baselines/ws-fanout-server.ts', {}, /listening on (\d+)/);
    try {
      const admin = await login(server.url, ADMIN.email, ADMIN.password);
      const agents = [];
      for (let i = 0; i < 3; i++) {
        const email = `agent${i}@bench.dev`;
        const user = await api(server.url, admin, 'POST', '/users', {
          email,
          name: `Agent ${i}`,
          role: 'agent',
          password: 'bench-agent-password',
        });
        agents.push(user.id as string);
      }
      const inbox = await api(server.url, admin, 'POST', '/inboxes', { name: 'Bench', channel: 'web', members: agents });
      // Seats for every room: at the default capacity (5 each) the other ~985 conversations wait in the
      // routing queue, and routing walks that whole queue every second (7 queries per conversation, in
      // one transaction that holds PGlite's only connection): the full-size setup then never finished.
      const routing = await api(server.url, admin, 'GET', '/routing/settings');
      await api(server.url, admin, 'PUT', '/routing/settings', { ...routing, defaultCapacity: 1000 });
      const cookies = [];
      for (let i = 0; i < 3; i++) cookies.push((await login(server.url, `agent${i}@bench.dev`, 'bench-agent-password')).cookie);
      type Step = {
        target: string;
        offeredRate: number;
        acceptedPerSecond: number;
        deliveriesPerSecond: number;
        p50: number;
        p95: number;
        p99: number;
        serverCpuMsPerDelivery: number;
      };
      const steps = await runLoad<Step[]>('bench/load/message-path.ts', {
        url: server.url,
        serverPid: server.proc.pid,
        wsUrl: `ws://127.0.0.1:${ws.match[1]}`,
        wsPid: ws.pid,
        websiteToken: inbox.websiteToken,
        agentCookies: cookies,
        rooms,
        rates,
        seconds,
      });
      const raw = await runLoad<{ writesPerSecond: number }>('bench/load/raw-sql.ts', {
        databaseUrl: server.databaseUrl,
        rooms: Math.min(rooms, 200),
        seconds: quick ? 2 : 10,
        concurrency: 16,
      });
      const rows: Row[] = [];
      let crossed: number | null = null;
      for (const rate of rates) {
        const o = steps.find((s) => s.target === 'autocrm' && s.offeredRate === rate) as Step;
        const b = steps.find((s) => s.target === 'ws-baseline' && s.offeredRate === rate) as Step;
        if (crossed === null && o.p99 > 50) crossed = rate;
        rows.push(
          {
            scenario: 'message-path',
            metric: `@${rate}/s accepted msg/s`,
            ours: o.acceptedPerSecond,
            baseline: b.acceptedPerSecond,
            baselineName: 'bare ws',
            ratio: ratio(o.acceptedPerSecond, b.acceptedPerSecond),
            unit: 'msg/s',
          },
          {
            scenario: 'message-path',
            metric: `@${rate}/s deliveries/s`,
            ours: o.deliveriesPerSecond,
            baseline: b.deliveriesPerSecond,
            baselineName: 'bare ws',
            ratio: ratio(o.deliveriesPerSecond, b.deliveriesPerSecond),
            unit: '/s',
          },
          {
            scenario: 'message-path',
            metric: `@${rate}/s p50 / p95 / p99 send→agent`,
            ours: o.p99,
            baseline: b.p99,
            baselineName: 'bare ws',
            ratio: ratio(o.p99, b.p99),
            unit: `ms (ours p50 ${o.p50}, p95 ${o.p95})`,
          },
          {
            scenario: 'message-path',
            metric: `@${rate}/s server CPU per delivery`,
            ours: o.serverCpuMsPerDelivery,
            baseline: b.serverCpuMsPerDelivery,
            baselineName: 'bare ws',
            ratio: ratio(o.serverCpuMsPerDelivery, b.serverCpuMsPerDelivery),
            unit: 'ms',
          },
        );
      }
      const best = Math.max(...steps.filter((s) => s.target === 'autocrm').map((s) => s.acceptedPerSecond));
      rows.push({
        scenario: 'message-path',
        metric: 'best accepted msg/s vs raw SQL limit',
        ours: best,
        baseline: raw.writesPerSecond,
        baselineName: 'raw SQL',
        ratio: ratio(best, raw.writesPerSecond),
        unit: 'msg/s',
      });
      rows.push({
        scenario: 'message-path',
        metric: 'offered rate where p99 first exceeds 50 ms',
        ours: crossed,
        baseline: null,
        baselineName: '-',
        ratio: null,
        unit: crossed === null ? 'msg/s (not within the offered steps)' : 'msg/s',
      });
      return rows;
    } finally {
      await ws.kill();
      await server.cleanup();
    }
  },

  async 'ticket-create'() {
    const seconds = quick ? 2 : 10;
    const concurrency = 16;
    const server = await startAutocrm();
    const bare = await startProcess(
      'bench/baselines/bare-hono.ts',
      server.databaseUrl ? { DATABASE_URL: server.databaseUrl } : {},
      /listening on (\d+)/,
    );
    try {
      const admin = await login(server.url, ADMIN.email, ADMIN.password);
      const inbox = await api(server.url, admin, 'POST', '/inboxes', { name: 'API', channel: 'api' });
      const key = await api(server.url, admin, 'POST', '/api-keys', { name: 'bench', scopes: ['conversations:write'] });
      const contact = await api(server.url, admin, 'POST', '/contacts', { name: 'Bench contact' });
      const bareUrl = `http://127.0.0.1:${bare.match[1]}`;
      const setup = (await (await fetch(`${bareUrl}/setup`, { method: 'POST' })).json()) as {
        inboxId: string;
        contactId: string;
      };
      type R = { requestsPerSecond: number; p99: number; serverCpuMsPerRequest: number };
      const results: { ours: R[]; base: R[] } = { ours: [], base: [] };
      for (let round = 0; round < 2; round++) {
        const runOurs = () =>
          runLoad<R>('bench/load/http-create.ts', {
            url: `${server.url}/api/v1/conversations`,
            headers: { authorization: `Bearer ${key.key}` },
            body: { inboxId: inbox.id, contactId: contact.id },
            seconds,
            concurrency,
            pid: server.proc.pid,
            target: 'autocrm',
          });
        const runBase = () =>
          runLoad<R>('bench/load/http-create.ts', {
            url: `${bareUrl}/conversations`,
            headers: {},
            body: setup,
            seconds,
            concurrency,
            pid: bare.pid,
            target: 'bare-hono',
          });
        if (round % 2 === 0) {
          results.ours.push(await runOurs());
          results.base.push(await runBase());
        } else {
          results.base.push(await runBase());
          results.ours.push(await runOurs());
        }
      }
      const best = (xs: R[], f: (r: R) => number) => Math.max(...xs.map(f));
      const low = (xs: R[], f: (r: R) => number) => Math.min(...xs.map(f));
      const o = {
        rps: best(results.ours, (r) => r.requestsPerSecond),
        p99: low(results.ours, (r) => r.p99),
        cpu: low(results.ours, (r) => r.serverCpuMsPerRequest),
      };
      const b = {
        rps: best(results.base, (r) => r.requestsPerSecond),
        p99: low(results.base, (r) => r.p99),
        cpu: low(results.base, (r) => r.serverCpuMsPerRequest),
      };
      return [
        {
          scenario: 'ticket-create',
          metric: 'requests/s (16 concurrent)',
          ours: o.rps,
          baseline: b.rps,
          baselineName: 'bare Hono + Kysely',
          ratio: ratio(o.rps, b.rps),
          unit: 'req/s',
        },
        {
          scenario: 'ticket-create',
          metric: 'p99',
          ours: o.p99,
          baseline: b.p99,
          baselineName: 'bare Hono + Kysely',
          ratio: ratio(o.p99, b.p99),
          unit: 'ms',
        },
        {
          scenario: 'ticket-create',
          metric: 'server CPU per request',
          ours: o.cpu,
          baseline: b.cpu,
          baselineName: 'bare Hono + Kysely',
          ratio: ratio(o.cpu, b.cpu),
          unit: 'ms',
        },
      ];
    } finally {
      await bare.kill();
      await server.cleanup();
    }
  },
};

scenarios['kb-search'] = async () => {
  const corpus = quick ? 2000 : 100_000;
  const seconds = quick ? 2 : 8;
  const started = Date.now();
  const server = await startAutocrm({ prepare: (db) => generateCorpus(db, corpus) });
  console.error(`   corpus of ${corpus} articles ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  try {
    type R = { concurrency: number; queriesPerSecond: number; p50: number; p95: number; serverCpuMsPerQuery: number | null };
    const concurrencies = [1, 8];
    const ours = await runLoad<R[]>('bench/load/kb-search.ts', {
      target: 'autocrm',
      url: server.url,
      pid: server.proc.pid,
      seconds,
      concurrencies,
    });
    const raw = await runLoad<R[]>('bench/load/kb-search.ts', {
      target: 'raw-sql',
      databaseUrl: server.databaseUrl,
      corpus,
      seconds,
      concurrencies,
    });
    const rows: Row[] = [];
    for (const concurrency of concurrencies) {
      const o = ours.find((r) => r.concurrency === concurrency);
      const b = raw.find((r) => r.concurrency === concurrency);
      if (!o || !b) continue;
      rows.push(
        {
          scenario: 'kb-search',
          metric: `${corpus} articles, ${concurrency} client(s): p95`,
          ours: o.p95,
          baseline: b.p95,
          baselineName: 'raw FTS query',
          ratio: ratio(o.p95, b.p95),
          unit: `ms (p50 ${o.p50} vs ${b.p50})`,
        },
        {
          scenario: 'kb-search',
          metric: `${corpus} articles, ${concurrency} client(s): queries/s`,
          ours: o.queriesPerSecond,
          baseline: b.queriesPerSecond,
          baselineName: 'raw FTS query',
          ratio: ratio(o.queriesPerSecond, b.queriesPerSecond),
          unit: `q/s (server CPU ${o.serverCpuMsPerQuery} ms/query)`,
        },
      );
    }
    return rows;
  } finally {
    await server.cleanup();
  }
};

scenarios['bot-overhead'] = async () => {
  const delay = 200;
  const llm = await startProcess('bench/baselines/fake-llm.ts', { FAKE_LLM_DELAY_MS: String(delay) }, /listening on (\d+)/);
  const llmUrl = `http://127.0.0.1:${llm.match[1]}/v1`;
  const server = await startAutocrm({
    env: { OPENAI_BASE_URL: llmUrl, OPENAI_EMBEDDING_MODEL: 'none' },
    prepare: async (db) => {
      await loadSampleKb(db);
    },
  });
  try {
    const admin = await login(server.url, ADMIN.email, ADMIN.password);
    const inbox = await api(server.url, admin, 'POST', '/inboxes', { name: 'Bot bench', channel: 'web' });
    const r = await runLoad<{
      samples: number;
      handedOff: number;
      oursP50: number;
      oursP95: number;
      directP50: number;
      directP95: number;
    }>('bench/load/bot-first-token.ts', { url: server.url, llmUrl, websiteToken: inbox.websiteToken, samples: quick ? 8 : 60 });
    return [
      {
        scenario: 'bot-overhead',
        metric: `customer message → first bot token (LLM delay ${delay} ms), p50`,
        ours: r.oursP50,
        baseline: r.directP50,
        baselineName: 'LLM called directly',
        ratio: ratio(r.oursP50, r.directP50),
        unit: `ms (hub adds ${round1(r.oursP50 - r.directP50)} ms)`,
      },
      {
        scenario: 'bot-overhead',
        metric: `customer message → first bot token, p95 (${r.samples} answers, ${r.handedOff} hand-offs)`,
        ours: r.oursP95,
        baseline: r.directP95,
        baselineName: 'LLM called directly',
        ratio: ratio(r.oursP95, r.directP95),
        unit: `ms (hub adds ${round1(r.oursP95 - r.directP95)} ms)`,
      },
    ];
  } finally {
    await server.cleanup();
    await llm.kill();
  }
};

scenarios['widget-weight'] = async () => {
  await buildWidget({ quiet: true }); // what is measured is what the source builds to now
  const dist = path.join(ROOT, 'widget/dist');
  const files = readdirSync(dist).filter((f) => f.endsWith('.js'));
  const size = (f: string) => {
    const buf = readFileSync(path.join(dist, f));
    return { min: buf.length / 1024, gz: gzipSync(buf, { level: 9 }).length / 1024 };
  };
  const loader = size(files.find((f) => f === 'widget.js') ?? 'widget.js');
  // The app module (what every page with the widget loads); the help view is fetched only when opened.
  const app = files.filter((f) => /^app\.[0-9a-f]+\.js$/.test(f)).map(size)[0] ?? { min: 0, gz: 0 };
  return [
    {
      scenario: 'widget-weight',
      metric: 'loader (widget.js), gzipped',
      ours: round1(loader.gz),
      baseline: 3,
      baselineName: 'budget',
      ratio: ratio(round1(loader.gz), 3),
      unit: `KB (${round1(loader.min)} KB minified)`,
    },
    {
      scenario: 'widget-weight',
      metric: 'widget app, gzipped',
      ours: round1(app.gz),
      baseline: 30,
      baselineName: 'budget',
      ratio: ratio(round1(app.gz), 30),
      unit: `KB (${round1(app.min)} KB minified)`,
    },
  ];
};

/** Widget visitors (tokens), created a few at a time over the public API. */
async function newVisitors(url: string, websiteToken: string, n: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < n; i += 10) {
    const batch = Array.from({ length: Math.min(10, n - i) }, () =>
      fetch(`${url}/widget-api/v1/visitors`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ websiteToken }),
      }).then(async (r) => ((await r.json()) as { visitorToken: string }).visitorToken),
    );
    tokens.push(...(await Promise.all(batch)));
  }
  return tokens;
}

scenarios.connections = async () => {
  // Cumulative steps. The full sizes go past what one process may hold on this machine (open-file
  // limit); the generator then runs the largest step that fits once and reports the rest as skipped.
  const steps = quick ? [500, 1000] : [5000, 10_000, 20_000, 50_000];
  const visitors = 100;
  const concurrency = 200;
  const server = await startAutocrm();
  const ws = await startProcess('bench/baselines/ws-fanout-server.ts', {}, /listening on (\d+)/);
  try {
    const admin = await login(server.url, ADMIN.email, ADMIN.password);
    const inbox = await api(server.url, admin, 'POST', '/inboxes', { name: 'Idle', channel: 'web' });
    const visitorTokens = await newVisitors(server.url, inbox.websiteToken, visitors);
    type Step = {
      wanted: number;
      step: number | null;
      skipped?: string;
      error?: string;
      seconds: number;
      perSecond: number;
      connectP99: number;
      cpuMsPerConnection: number;
      rssPerConnectionKb: number;
      rssMb: number;
    };
    type R = { limitNote: string; serverLimit: number; failures: number; results: Step[] };
    const base = await runLoad<R>('bench/load/idle-connections.ts', {
      target: 'ws-baseline',
      url: `ws://127.0.0.1:${ws.match[1]}`,
      pid: ws.pid,
      steps,
      concurrency,
    });
    const ours = await runLoad<R>('bench/load/idle-connections.ts', {
      target: 'autocrm',
      url: server.url,
      pid: server.proc.pid,
      steps,
      websiteToken: inbox.websiteToken,
      visitorTokens,
      concurrency,
    });
    console.error(`   load generator: ${ours.limitNote}; server open-file limit ${ours.serverLimit}`);
    const rows: Row[] = [];
    let before = 0;
    for (const o of ours.results) {
      const b = base.results.find((r) => r.wanted === o.wanted);
      if (o.step === null || !b || b.step === null) {
        rows.push({
          scenario: 'connections',
          metric: `${o.wanted} idle widget sockets`,
          ours: null,
          baseline: null,
          baselineName: 'bare ws',
          ratio: null,
          unit: `not run: ${o.skipped ?? b?.skipped ?? 'baseline failed'}`,
        });
        continue;
      }
      const label = o.step === o.wanted ? `${o.step}` : `${o.step} (${o.wanted} does not fit the open-file limit)`;
      const failed = o.error ? ` — stopped at ${o.step}: ${o.error}` : '';
      // RSS moves by tens of MB on its own (garbage collection, PGlite's memory): small steps drown in it.
      const noisy = o.step < 5000 ? '; too few connections to rise above RSS noise' : '';
      rows.push(
        {
          scenario: 'connections',
          metric: `${label} idle widget sockets: server RSS per connection`,
          ours: o.rssPerConnectionKb,
          baseline: b.rssPerConnectionKb,
          baselineName: 'bare ws',
          ratio: ratio(o.rssPerConnectionKb, b.rssPerConnectionKb),
          unit: `KB (server RSS ${o.rssMb} MB vs ${b.rssMb} MB; ${visitors} visitor tokens shared${noisy})${failed}`,
        },
        {
          scenario: 'connections',
          metric: `${label} idle widget sockets: time to open ${before} → ${o.step}`,
          ours: o.seconds,
          baseline: b.seconds,
          baselineName: 'bare ws',
          ratio: ratio(o.seconds, b.seconds),
          unit: `s (${concurrency} in flight; ${o.perSecond}/s vs ${b.perSecond}/s, p99 ${o.connectP99} ms, server CPU ${o.cpuMsPerConnection} ms/connection)`,
        },
      );
      before = o.step;
    }
    return rows;
  } finally {
    await ws.kill();
    await server.cleanup();
  }
};

scenarios['reconnect-storm'] = async () => {
  // 10,000 on Postgres. PGlite runs every query on one connection (~4 ms of queries per reconnect and
  // join): at 10,000 the handshakes outlast the clients' 20 s connect timeout and retries pile on
  // (measured: 3,422 retries, 99% back after 64 s, 139 s for the scenario), more than the 15-minute
  // budget of a full run has room for; its full size is 2,000 (see the unit text).
  const rooms = quick ? 500 : backend === 'postgres' ? 10_000 : 2000;
  const visitors = 100;
  // Agent messages per second into every 10th room: steady traffic, well under what the server takes
  // (a message costs PGlite ~8 ms of queries: at 100/s the flow alone would fill it, and the storm would
  // measure that instead).
  const rate = quick ? 20 : 50;
  const starts = quick ? 100 : 300;
  const deadlineMs = quick ? 30_000 : 90_000;
  let seeded: SeededRooms | undefined;
  const started = Date.now();
  const server = await startAutocrm({
    prepare: async (db) => {
      seeded = await seedWidgetRooms(db, { rooms, visitors });
    },
  });
  const seedSeconds = round1((Date.now() - started) / 1000);
  const roomsFile = path.join(mkdtempSync(path.join(tmpdir(), 'autocrm-storm-')), 'rooms.json');
  try {
    const { websiteToken, visitorTokens, conversationIds } = seeded as SeededRooms;
    // Ten thousand ids are too long for a command-line argument.
    writeFileSync(roomsFile, JSON.stringify({ visitorTokens, conversationIds }));
    const admin = await login(server.url, ADMIN.email, ADMIN.password);
    const key = await api(server.url, admin, 'POST', '/api-keys', {
      name: 'storm',
      scopes: ['conversations:read', 'conversations:write'],
    });
    type N = number | null;
    const r = await runLoad<{
      present: number;
      started: number;
      createSeconds: number;
      createPerSecond: number;
      freshP50: N;
      freshP99: N;
      freshFailed: number;
      freshRetries: number;
      stormP50: N;
      stormP99: N;
      stormAll: N;
      stormRetries: number;
      stormCpuSeconds: number;
      resyncFailed: number;
      stormError: string | null;
      sent: number;
      sendFailed: number;
      lost: number;
      duplicates: number;
      roomsWithGaps: number;
    }>('bench/load/reconnect-storm.ts', {
      url: server.url,
      pid: server.proc.pid,
      websiteToken,
      roomsFile,
      apiKey: key.key,
      rate,
      starts,
      deadlineMs,
    });
    const s = (ms: N) => (ms === null ? `not within ${deadlineMs / 1000} s` : `${ms} ms`);
    const fewer = r.present < rooms ? `; only ${r.present} of ${rooms} connected and joined before the storm` : '';
    return [
      {
        scenario: 'reconnect-storm',
        metric: `${rooms} sockets dropped at once: time until 99% resynced${!quick && rooms < 10_000 ? ' (PGlite: 2,000, not 10,000)' : ''}`,
        ours: r.stormP99,
        baseline: r.freshP99,
        baselineName: 'same sockets connecting fresh',
        ratio: ratio(r.stormP99, r.freshP99),
        unit: `ms (p50 ${s(r.stormP50)} vs ${s(r.freshP50)}; all ${s(r.stormAll)}; ${r.resyncFailed} not back${r.stormError ? ` (${r.stormError})` : ''}; ${r.stormRetries} connect retries vs ${r.freshRetries}; server CPU ${r.stormCpuSeconds} s${fewer})`,
      },
      {
        scenario: 'reconnect-storm',
        metric: `messages lost across the storm (${r.sent} sent at ${rate}/s into every 10th room)`,
        ours: r.lost,
        baseline: 0,
        baselineName: 'expected',
        ratio: null,
        unit: `seqs (${r.roomsWithGaps} rooms with gaps among those back; ${r.duplicates} duplicate deliveries, the join's replay/live overlap the client drops by seq; ${r.sendFailed} sends failed)`,
      },
      {
        scenario: 'reconnect-storm',
        metric: `setup: conversations opened via conversation:start (${r.started} of ${starts})`,
        ours: r.createPerSecond,
        baseline: null,
        baselineName: '-',
        ratio: null,
        unit: `conversations/s (${visitors} visitors in parallel; the ${rooms} storm rooms were written with SQL instead, ${seedSeconds} s incl. server start, ${visitors} visitor tokens shared)`,
      },
    ];
  } finally {
    rmSync(path.dirname(roomsFile), { recursive: true, force: true });
    await server.cleanup();
  }
};

scenarios['inbox-at-scale'] = async () => {
  const conversations = quick ? 5000 : 100_000;
  const small = 1000;
  // 20 a page: page 50 is the small inbox's last, so both inboxes have the same deep page.
  const limit = 20;
  const depth = 50;
  let inboxes: { big: string; small: string } | undefined;
  const started = Date.now();
  const server = await startAutocrm({
    prepare: async (db) => {
      inboxes = await seedBigInbox(db, { conversations, small });
    },
  });
  const seedSeconds = round1((Date.now() - started) / 1000);
  console.error(`   ${conversations + small} conversations, ${(conversations + small) * 10} messages in ${seedSeconds} s`);
  try {
    const admin = await login(server.url, ADMIN.email, ADMIN.password);
    const key = await api(server.url, admin, 'POST', '/api-keys', { name: 'inbox', scopes: ['conversations:read'] });
    const sorts = [
      { sort: 'last_activity_at', order: 'desc' },
      { sort: 'created_at', order: 'desc' },
      { sort: 'priority', order: 'desc' },
      { sort: 'waiting_since', order: 'asc' },
    ] as const;
    type P = { p50: number; p95: number; rows: number };
    const results = await runLoad<{ inbox: string; sort: string; first: P; deep: P & { page: number } }[]>(
      'bench/load/inbox-list.ts',
      { url: server.url, apiKey: key.key, inboxes, sorts, limit, depth, samples: quick ? 10 : 40 },
    );
    const rows: Row[] = [];
    for (const { sort, order } of sorts) {
      const big = results.find((r) => r.inbox === 'big' && r.sort === sort);
      const little = results.find((r) => r.inbox === 'small' && r.sort === sort);
      if (!big || !little) continue;
      for (const which of ['first', 'deep'] as const) {
        const o = big[which];
        const b = little[which];
        const where = which === 'first' ? 'first page' : `page ${big.deep.page} (cursor)`;
        rows.push({
          scenario: 'inbox-at-scale',
          metric: `sort=${sort} ${order}, ${where}: p95`,
          ours: o.p95,
          baseline: b.p95,
          baselineName: `inbox of ${small}`,
          ratio: ratio(o.p95, b.p95),
          unit: `ms (p50 ${o.p50} vs ${b.p50}; ${conversations} conversations, ${conversations * 10} messages; ${limit} a page)`,
        });
      }
    }
    return rows;
  } finally {
    await server.cleanup();
  }
};

scenarios['two-processes'] = async () => {
  if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
    return [
      {
        scenario: 'two-processes',
        metric: 'server CPU per delivered message, 2 processes vs 1',
        ours: null,
        baseline: null,
        baselineName: 'one process',
        ratio: null,
        unit: 'not run: needs DATABASE_URL and REDIS_URL (two processes share Postgres and talk through Redis)',
      },
    ];
  }
  const rooms = quick ? 20 : 100;
  const rate = quick ? 50 : 200;
  const seconds = quick ? 3 : 10;
  type R = {
    sent: number;
    failed: number;
    delivered: number;
    expected: number;
    cpuMsPerDelivery: number;
    cpuMsPerProcess: number[];
    p50: number;
    p99: number;
  };

  /** Agents, an inbox with the bot off, and room for every conversation on the agents (no queue). */
  const setUp = async (url: string) => {
    const admin = await login(url, ADMIN.email, ADMIN.password);
    const agents: string[] = [];
    for (let i = 0; i < 3; i++) {
      const user = await api(url, admin, 'POST', '/users', {
        email: `agent${i}@bench.dev`,
        name: `Agent ${i}`,
        role: 'agent',
        password: 'bench-agent-password',
      });
      agents.push(user.id);
    }
    const inbox = await api(url, admin, 'POST', '/inboxes', { name: 'Two', channel: 'web', members: agents });
    await api(url, admin, 'PATCH', `/inboxes/${inbox.id}/widget`, { bot: { enabled: false } });
    const settings = await api(url, admin, 'GET', '/routing/settings');
    await api(url, admin, 'PUT', '/routing/settings', { ...settings, defaultCapacity: 1000 });
    const cookies = [];
    for (let i = 0; i < 3; i++) cookies.push((await login(url, `agent${i}@bench.dev`, 'bench-agent-password')).cookie);
    return { websiteToken: inbox.websiteToken as string, cookies };
  };
  const load = (visitorUrl: string, agentUrl: string, pids: number[], setup: { websiteToken: string; cookies: string[] }) =>
    runLoad<R>('bench/load/two-processes.ts', {
      visitorUrl,
      agentUrl,
      pids,
      websiteToken: setup.websiteToken,
      agentCookies: setup.cookies,
      rooms,
      rate,
      seconds,
    });

  let one: R;
  const single = await startAutocrm();
  try {
    one = await load(single.url, single.url, [single.proc.pid], await setUp(single.url));
  } finally {
    await single.cleanup();
  }
  // Both processes on one database and one Redis stream (the same prefix), as two replicas would be.
  const prefix = `bench${Date.now()}`;
  const a = await startAutocrm({ env: { REDIS_PREFIX: prefix } });
  let two: R;
  try {
    const b = await startAutocrm({ env: { REDIS_PREFIX: prefix }, databaseUrl: a.databaseUrl as string });
    try {
      two = await load(a.url, b.url, [a.proc.pid, b.proc.pid], await setUp(a.url));
    } finally {
      await b.cleanup();
    }
  } finally {
    await a.cleanup();
  }
  const lost = (r: R) => (r.delivered < r.expected ? `, ${r.expected - r.delivered} not delivered` : '');
  return [
    {
      scenario: 'two-processes',
      metric: `server CPU per delivered message @${rate}/s (visitors on A, agents on B)`,
      ours: two.cpuMsPerDelivery,
      baseline: one.cpuMsPerDelivery,
      baselineName: 'one process',
      ratio: ratio(two.cpuMsPerDelivery, one.cpuMsPerDelivery),
      unit: `ms (goal ratio ≤ 1.3; A ${two.cpuMsPerProcess[0]} ms + B ${two.cpuMsPerProcess[1]} ms CPU for ${two.delivered} deliveries${lost(two)}; ${rooms} rooms × 3 agents; Redis's own CPU not counted)`,
    },
    {
      scenario: 'two-processes',
      metric: `send→agent p99 @${rate}/s`,
      ours: two.p99,
      baseline: one.p99,
      baselineName: 'one process',
      ratio: ratio(two.p99, one.p99),
      unit: `ms (p50 ${two.p50} vs ${one.p50}${lost(one)})`,
    },
  ];
};

/**
 * Reports at scale: a 90-day history (quick: 500 conversations; full: 100,000 conversations and
 * 1,000,000 messages), rollups built from it, then the 90-day overview (and the per-day chart, and one
 * agent's overview) timed from the rollups against the same figures computed with the raw aggregate
 * queries. In this process against the database directly: the figure is the report's query time.
 */
scenarios.reports = async () => {
  const conversations = quick ? 500 : 100_000;
  const messagesEach = quick ? 3 : 10;
  const runs = quick ? 5 : 40;
  const rawRuns = quick ? 2 : 20;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'autocrm-bench-reports-'));
  const fresh = process.env.DATABASE_URL ? await freshPostgresDatabase(process.env.DATABASE_URL) : undefined;
  // Seeding a million rows takes longer than the server's 15 s statement limit.
  const handle = await openDatabase({
    databaseUrl: fresh?.url,
    dataDir,
    timeouts: { statementMs: 1_200_000, idleInTransactionMs: 1_200_000 },
  });
  try {
    const db = handle.db;
    await migrateToLatest(db);
    let t = Date.now();
    await seedReportHistory(db, { conversations, messagesEach, days: 90 });
    const extra = await seedPresenceAndViews(db, { days: 90, changesPerDay: quick ? 4 : 150, articles: quick ? 5 : 150 });
    const seedMs = Date.now() - t;
    t = Date.now();
    const built = await rebuildReportRollups(db);
    const rebuildMs = Date.now() - t;
    // As autovacuum would have by then: statistics, and the visibility map that lets index-only scans skip the heap.
    await sql`vacuum analyze`.execute(db);
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 89 * 86_400_000).toISOString().slice(0, 10);
    const actor = { kind: 'user', id: '00000000-0000-0000-0000-000000000000', role: 'admin' } as const;
    const agent = await db.selectFrom('users').select('id').where('email', '=', 'agent1@bench.dev').executeTakeFirstOrThrow();
    const time = async (n: number, f: () => Promise<unknown>) => {
      await f(); // warm-up
      const ms: number[] = [];
      for (let i = 0; i < n; i++) {
        const s0 = performance.now();
        await f();
        ms.push(performance.now() - s0);
      }
      return { p50: round1(percentile(ms, 50)), p95: round1(percentile(ms, 95)) };
    };
    type Source = 'auto' | 'raw';
    const q = (filters: Record<string, string> = {}) => ({ from, to, ...filters });
    const as = actor as never;
    // Each page of the Reports tab as the API computes it; a raw baseline where the report has one.
    const cases: [string, (source: Source) => Promise<unknown>, boolean][] = [
      ['90-day overview (with previous period)', (source) => reportOverview(db, { actor: as, query: q(), source }), true],
      ['90-day overview, one agent', (source) => reportOverview(db, { actor: as, query: q({ agent: agent.id }), source }), true],
      ['90-day per-day chart', (source) => reportTimeseries(db, { actor: as, query: q(), source }), true],
      ['90-day agents (with time online/away)', (source) => reportAgents(db, { actor: as, query: q(), source }), true],
      ['90-day busiest hours', (source) => reportHeatmap(db, { actor: as, query: q(), source }), true],
      ['90-day service levels', () => reportService(db, { actor: as, query: q() }), false],
      ['90-day bot and knowledge base (with article views)', () => reportKnowledge(db, { actor: as, query: q() }), false],
      ['90-day macros', () => reportMacros(db, { actor: as, query: q() }), false],
    ];
    const rows: Row[] = [];
    for (const [label, call, hasRaw] of cases) {
      const ours = await time(runs, () => call('auto'));
      const raw = hasRaw ? await time(rawRuns, () => call('raw')) : null;
      rows.push({
        scenario: 'reports',
        metric: `${label} p95`,
        ours: ours.p95,
        baseline: raw?.p95 ?? null,
        baselineName: raw ? 'raw aggregate' : '–',
        ratio: raw ? ratio(ours.p95, raw.p95) : null,
        unit: `ms (p50 ${ours.p50}${raw ? ` vs ${raw.p50}` : ''}; goal ≤ 100 ms on Postgres)`,
      });
    }
    rows.push({
      scenario: 'reports',
      metric: 'rollup rebuild from raw',
      ours: rebuildMs,
      baseline: null,
      baselineName: '–',
      ratio: null,
      unit: `ms (${built.conversations} conversations, ${conversations * messagesEach} messages, ${built.rows} rollup rows, ${extra.intervals} presence intervals, ${extra.viewRows} hourly article-view rows; seeding took ${seedMs} ms)`,
    });
    return rows;
  } finally {
    await handle.close();
    await fresh?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

const names = picked.length ? picked : Object.keys(scenarios);
const unknown = names.filter((n) => !scenarios[n]);
if (unknown.length) {
  console.error(`unknown scenario(s): ${unknown.join(', ')}; known: ${Object.keys(scenarios).join(', ')}`);
  process.exit(2);
}
const rows: Row[] = [];
const resultFile = path.join(ROOT, `bench/results/${quick ? 'quick' : 'latest'}.json`);
const save = () => {
  mkdirSync(path.dirname(resultFile), { recursive: true });
  const result = { at: new Date().toISOString(), backend, redis: !!process.env.REDIS_URL, quick, rows };
  writeFileSync(resultFile, `${JSON.stringify(result, null, 2)}\n`);
};
let failed = 0;
const runStarted = Date.now();
for (const name of names) {
  const started = Date.now();
  console.error(`== ${name} (${backend}${process.env.REDIS_URL ? ' + redis' : ''}${quick ? ', quick' : ''})`);
  try {
    rows.push(...(await (scenarios[name] as () => Promise<Row[]>)()));
  } catch (err) {
    // One broken scenario must not cost the figures of the others: record it, go on, fail at the end.
    failed++;
    console.error(err);
    const message = err instanceof Error ? err.message : String(err);
    rows.push({
      scenario: name,
      metric: 'failed',
      ours: null,
      baseline: null,
      baselineName: '–',
      ratio: null,
      unit: message.slice(0, 200),
    });
  }
  console.error(`   done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  save(); // a crash later keeps what is measured so far
}
console.error(`== all scenarios in ${((Date.now() - runStarted) / 1000).toFixed(0)} s`);
const table = [
  '| scenario | metric | ours | baseline | ratio | unit |',
  '| --- | --- | ---: | ---: | ---: | --- |',
  ...rows.map(
    (r) =>
      `| ${r.scenario} | ${r.metric} | ${r.ours ?? '–'} | ${r.baseline ?? '–'} (${r.baselineName}) | ${r.ratio ?? '–'} | ${r.unit} |`,
  ),
].join('\n');
console.log(table);
process.exit(failed ? 1 : 0);
