/**
 * Closed-loop knowledge-base search: `concurrency` clients ask the evaluation questions in turn for
 * `seconds`, either through the hub's public search endpoint or as the raw full-text SQL query.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { EVAL_QUESTIONS } from '../../db/kb-sample/eval-questions';
import { migrateToLatest } from '../../db/migrate';
import { searchConfigFor } from '../../server/src/domain/kb/search-language';
import { openDatabase } from '../../server/src/storage/db';
import { generateCorpus } from '../kb/generate-corpus';
import { cpuSecondsOf, percentile, round } from '../lib/stats';

const args = JSON.parse(process.argv[2] ?? '{}') as {
  target: 'autocrm' | 'raw-sql';
  url?: string;
  pid?: number;
  databaseUrl?: string;
  corpus?: number;
  seconds: number;
  /** Each level runs in turn in this one process (on PGlite the raw baseline builds its corpus once). */
  concurrencies: number[];
};

let ask: (q: string, locale: string) => Promise<void>;
let close = async () => {};
if (args.target === 'autocrm') {
  ask = async (q, locale) => {
    const res = await fetch(`${args.url}/api/v1/help/search?q=${encodeURIComponent(q)}&locale=${locale}&limit=5`);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`search ${res.status}`);
  };
} else {
  // The raw query: the same published-articles full-text match and rank, one statement, no typo
  // correction, no locale fallback, no snippets.
  const handle = await openDatabase({ databaseUrl: args.databaseUrl, dataDir: 'memory://', poolSize: 8 });
  if (!args.databaseUrl) {
    await migrateToLatest(handle.db);
    await generateCorpus(handle.db, args.corpus ?? 0);
  }
  const db = handle.db;
  ask = async (q, locale) => {
    const words = (q.toLowerCase().match(/\p{L}{3,}/gu) ?? []).join(' | ');
    if (!words) return;
    const config = searchConfigFor(locale);
    await sql`
      SELECT t.article_id, t.title, ts_rank(t.search, query, 1) AS rank
      FROM kb_translations t, to_tsquery(${config}::regconfig, ${words}) query
      WHERE t.status = 'published' AND t.locale = ${locale} AND t.search @@ query
      ORDER BY rank DESC LIMIT 5`.execute(db);
  };
  close = () => handle.close();
}

const results = [];
for (const concurrency of args.concurrencies) {
  const latencies: number[] = [];
  const cpu0 = args.pid ? cpuSecondsOf(args.pid) : 0;
  const deadline = performance.now() + args.seconds * 1000;
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const q = EVAL_QUESTIONS[next++ % EVAL_QUESTIONS.length] as (typeof EVAL_QUESTIONS)[number];
        const started = performance.now();
        await ask(q.question, q.locale);
        latencies.push(performance.now() - started);
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  results.push({
    target: args.target,
    concurrency,
    queries: latencies.length,
    queriesPerSecond: round(latencies.length / elapsed, 0),
    p50: round(percentile(latencies, 50), 2),
    p95: round(percentile(latencies, 95), 2),
    serverCpuMsPerQuery: args.pid ? round(((cpuSecondsOf(args.pid) - cpu0) * 1000) / latencies.length, 2) : null,
  });
}
await close();
console.log(JSON.stringify(results));
process.exit(0);
