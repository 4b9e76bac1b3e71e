import { api, login } from '../lib/api-client';
import { ADMIN, startAutocrm } from '../lib/autocrm-process';
import { runLoad, startProcess } from '../lib/processes';
import { type Row, ratio } from '../lib/rows';
import { quick } from '../lib/run-options';

export async function ticketCreate(): Promise<Row[]> {
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
}
