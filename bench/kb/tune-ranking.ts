import { migrateToLatest } from '../../db/migrate';
import { QUERY_WEIGHTS } from '../../server/src/domain/kb/query-terms';
import { RANKING } from '../../server/src/domain/kb/search';
import { loadSampleKb } from '../../server/src/seed/seed-demo-kb';
import { openDatabase } from '../../server/src/storage/db';
import { detectCapabilities } from '../../server/src/storage/extensions';
import { productRanker, scoreSearch } from './evaluate-search';

// `npx tsx bench/kb/tune-ranking.ts`: each ranking parameter varied on its own around the shipped values,
// scored on the tuning half only (the held-back half is never looked at while choosing them).
// `npx tsx bench/kb/tune-ranking.ts '[{"k1":2,"b":0.7}]'` scores the given combinations instead.
const handle = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: 'memory://' });
try {
  await migrateToLatest(handle.db);
  await loadSampleKb(handle.db, { keywords: false });
  const ctx = { db: handle.db, caps: await detectCapabilities(handle.db), defaultLocale: 'en' };
  const grid: Record<string, number[]> = {
    k1: [1.2, 1.6, 2],
    b: [0.3, 0.5, 0.7],
    titleWeight: [2, 3, 5],
    titleB: [0, 0.5, 1],
    proximity: [0, 0.4, 0.8],
    filler: [0.1, 0.3, 1],
  };
  const given = process.argv[2] ? (JSON.parse(process.argv[2]) as Record<string, number>[]) : undefined;
  const variants = given ?? Object.entries(grid).flatMap(([key, values]) => values.map((v) => ({ [key]: v })));
  const base = { ranking: { ...RANKING }, query: { ...QUERY_WEIGHTS } };
  for (const v of variants) {
    Object.assign(RANKING, base.ranking);
    Object.assign(QUERY_WEIGHTS, base.query);
    for (const [key, value] of Object.entries(v)) Object.assign(key in QUERY_WEIGHTS ? QUERY_WEIGHTS : RANKING, { [key]: value });
    const r = await scoreSearch(productRanker(ctx), 'tune');
    console.log(`${JSON.stringify(v)}  hit@1 ${r.hitAt1.toFixed(3)} hit@3 ${r.hitAt3.toFixed(3)} MRR ${r.mrrAt10.toFixed(3)}`);
  }
} finally {
  await handle.close();
}
