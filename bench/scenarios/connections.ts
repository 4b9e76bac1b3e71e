import { api, login } from '../lib/api-client';
import { ADMIN, startAutocrm } from '../lib/autocrm-process';
import { runLoad, startProcess } from '../lib/processes';
import { type Row, ratio } from '../lib/rows';
import { quick } from '../lib/run-options';

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

export async function connections(): Promise<Row[]> {
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
}
