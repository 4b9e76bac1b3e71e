/**
 * `npm run bench [-- scenario ...] [--quick]`: runs each scenario against the real server (started here
 * as its own process) and its baseline in the same run, then prints our figure, the baseline's and the
 * ratio as a table and as JSON (bench/results/latest.json). PGlite by default; Postgres and Redis when
 * DATABASE_URL / REDIS_URL are set.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freshPostgresDatabase } from '../tests/helpers/test-server';
import { type Proc, ROOT, runLoad, startProcess } from './lib/processes';

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
const ratio = (a: number | null, b: number | null) => (a !== null && b ? Number((a / b).toFixed(2)) : null);

async function startAutocrm(): Promise<{ proc: Proc; url: string; databaseUrl?: string; cleanup(): Promise<void> }> {
  let databaseUrl: string | undefined;
  let drop: (() => Promise<void>) | undefined;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'autocrm-bench-'));
  if (process.env.DATABASE_URL) ({ url: databaseUrl, drop } = await freshPostgresDatabase(process.env.DATABASE_URL));
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
      REDIS_PREFIX: `bench${Date.now()}`,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    },
    /running at http:\/\/localhost:(\d+)/,
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
        unit: 'msg/s (null: never in the steps run)',
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

const names = picked.length ? picked : Object.keys(scenarios);
const unknown = names.filter((n) => !scenarios[n]);
if (unknown.length) {
  console.error(`unknown scenario(s): ${unknown.join(', ')}; known: ${Object.keys(scenarios).join(', ')}`);
  process.exit(2);
}
const rows: Row[] = [];
for (const name of names) {
  const started = Date.now();
  console.error(`== ${name} (${backend}${process.env.REDIS_URL ? ' + redis' : ''}${quick ? ', quick' : ''})`);
  rows.push(...(await (scenarios[name] as () => Promise<Row[]>)()));
  console.error(`   done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
const table = [
  '| scenario | metric | ours | baseline | ratio | unit |',
  '| --- | --- | ---: | ---: | ---: | --- |',
  ...rows.map(
    (r) =>
      `| ${r.scenario} | ${r.metric} | ${r.ours ?? '–'} | ${r.baseline ?? '–'} (${r.baselineName}) | ${r.ratio ?? '–'} | ${r.unit} |`,
  ),
].join('\n');
console.log(table);
mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
const result = { at: new Date().toISOString(), backend, redis: !!process.env.REDIS_URL, quick, rows };
writeFileSync(path.join(ROOT, `bench/results/${quick ? 'quick' : 'latest'}.json`), `${JSON.stringify(result, null, 2)}\n`);
process.exit(0);
