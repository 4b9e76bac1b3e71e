import { api, login } from '../lib/api-client';
import { ADMIN, startAutocrm } from '../lib/autocrm-process';
import { runLoad } from '../lib/processes';
import { type Row, ratio } from '../lib/rows';
import { quick } from '../lib/run-options';

export async function twoProcesses(): Promise<Row[]> {
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
}
