import { api, login } from '../lib/api-client';
import { ADMIN, startAutocrm } from '../lib/autocrm-process';
import { runLoad, startProcess } from '../lib/processes';
import { type Row, ratio } from '../lib/rows';
import { quick } from '../lib/run-options';

export async function messagePath(): Promise<Row[]> {
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
}
