import { OUT_OF_SCOPE_CASES, SEARCH_CASES } from '../../db/kb-sample/eval-set';
import { migrateToLatest } from '../../db/migrate';
import { searchKb } from '../../server/src/domain/kb/search';
import { loadSampleKb } from '../../server/src/seed/seed-demo-kb';
import { openDatabase } from '../../server/src/storage/db';
import { detectCapabilities } from '../../server/src/storage/extensions';
import { inHalf } from './evaluate-search';

const handle = await openDatabase({ databaseUrl: undefined, dataDir: 'memory://' });
await migrateToLatest(handle.db);
await loadSampleKb(handle.db, { keywords: false });
const ctx = { db: handle.db, caps: await detectCapabilities(handle.db), defaultLocale: 'en' };
for (const c of [
  ...SEARCH_CASES.filter(inHalf('tune')),
  ...OUT_OF_SCOPE_CASES.filter(inHalf('tune')).map((o) => ({ ...o, expect: 'OOS' })),
]) {
  let f: unknown;
  const { hits } = await searchKb(ctx, {
    q: c.question,
    locale: c.locale,
    limit: 4,
    onFeatures: (x) => {
      f = x[0];
    },
  });
  const h = hits[0];
  console.log(
    JSON.stringify({
      kind: c.expect === 'OOS' ? 'oos' : h?.slug === c.expect ? 'right' : 'wrong',
      q: c.question,
      rel: h?.relevance ?? 0,
      f,
    }),
  );
}
await handle.close();
