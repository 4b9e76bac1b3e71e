import { PrivateRedis } from '../../tests/helpers/redis-server';
import { TcpProxy } from '../../tests/helpers/tcp-proxy';
import { freshPostgresDatabase } from '../../tests/helpers/test-server';
import { api, login } from '../lib/api-client';
import { ADMIN, startAutocrm } from '../lib/autocrm-process';
import { measureFaults } from '../lib/fault-scenario';
import type { Row } from '../lib/rows';
import { quick } from '../lib/run-options';

/** Postgres reset and unreachable, Redis killed, under load on two processes: recovery times. */
export async function faults(): Promise<Row[]> {
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
}
