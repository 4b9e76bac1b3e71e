import { migrateToLatest } from '../../db/migrate';
import { RANKING } from '../../server/src/domain/kb/search';
import { loadSampleKb } from '../../server/src/seed/seed-demo-kb';
import { openDatabase } from '../../server/src/storage/db';
import { detectCapabilities } from '../../server/src/storage/extensions';
import { productRanker, scoreSearch } from './evaluate-search';

// `npx tsx bench/kb/tune-ranking.ts`: a grid over the BM25 parameters, scored on the tuning half only
// (the held-back half is never looked at while choosing them).
const handle = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: 'memory://' });
try {
  await migrateToLatest(handle.db);
  await loadSampleKb(handle.db, { keywords: false });
  const ctx = { db: handle.db, caps: await detectCapabilities(handle.db), defaultLocale: 'en' };
  const grid = { k1: [0.9, 1.2, 1.6], b: [0.3, 0.5, 0.75], titleWeight: [2, 3, 5], proximity: [0, 0.4, 1] };
  const base = { ...RANKING };
  for (const [key, values] of Object.entries(grid)) {
    for (const v of values) {
      Object.assign(RANKING, base, { [key]: v });
      const r = await scoreSearch(productRanker(ctx), 'tune');
      console.log(`${key}=${v}  hit@1 ${r.hitAt1.toFixed(3)} hit@3 ${r.hitAt3.toFixed(3)} MRR ${r.mrrAt10.toFixed(3)}`);
    }
  }
} finally {
  await handle.close();
}
