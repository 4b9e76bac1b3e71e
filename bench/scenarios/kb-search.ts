import { generateCorpus } from '../kb/generate-corpus';
import { startAutocrm } from '../lib/autocrm-process';
import { runLoad } from '../lib/processes';
import { type Row, ratio } from '../lib/rows';
import { quick } from '../lib/run-options';

export async function kbSearch(): Promise<Row[]> {
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
}
