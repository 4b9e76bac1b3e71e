import { productRanker, scoreSearch } from '../../bench/kb/evaluate-search';
import { migrateToLatest } from '../../db/migrate';
import { QUERY_WEIGHTS } from '../../server/src/domain/kb/query-terms';
import { RANKING } from '../../server/src/domain/kb/search';
import { loadSampleKb } from '../../server/src/seed/seed-demo-kb';
import { openDatabase } from '../../server/src/storage/db';
import { detectCapabilities } from '../../server/src/storage/extensions';

const handle = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: 'memory://' });
await migrateToLatest(handle.db);
await loadSampleKb(handle.db, { keywords: false });
const ctx = { db: handle.db, caps: await detectCapabilities(handle.db), defaultLocale: 'en' };
const base = { ...RANKING };
const variants: Record<string, number>[] = JSON.parse(process.argv[2] ?? '[{}]');
for (const v of variants) {
  Object.assign(RANKING, base, v);
  QUERY_WEIGHTS.filler = v.filler ?? 0.3;
  const r = await scoreSearch(productRanker(ctx), 'tune');
  console.log(`${JSON.stringify(v)}  hit@1 ${r.hitAt1.toFixed(3)} hit@3 ${r.hitAt3.toFixed(3)} MRR ${r.mrrAt10.toFixed(3)}`);
}
await handle.close();
