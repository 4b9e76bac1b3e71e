import { migrateToLatest } from '../../db/migrate';
import { loadSampleKb } from '../../server/src/seed/seed-demo-kb';
import { openDatabase } from '../../server/src/storage/db';
import { detectCapabilities } from '../../server/src/storage/extensions';
import { evaluateSearch } from './evaluate-search';

// `npm run eval:kb`: loads the sample knowledge base (English and German) into a fresh database and
// prints hit@1 and hit@3 of search over the evaluation questions. DATABASE_URL selects Postgres
// (a database that gets the tables: use a scratch one); otherwise in-memory PGlite.
const handle = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: 'memory://' });
try {
  await migrateToLatest(handle.db);
  const { articles } = await loadSampleKb(handle.db);
  const caps = await detectCapabilities(handle.db);
  const r = await evaluateSearch({ db: handle.db, caps, defaultLocale: 'en' });
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(
    `knowledge-base search on ${handle.kind} (${JSON.stringify(caps)}): ${articles} articles, ${r.questions} questions`,
  );
  console.log(`  hit@1 ${pct(r.hitAt1)}   hit@3 ${pct(r.hitAt3)}   ${r.msPerQuery.toFixed(1)} ms/query`);
  for (const [locale, l] of Object.entries(r.byLocale))
    console.log(`  ${locale}: ${l.questions} questions, hit@1 ${pct(l.hitAt1)}, hit@3 ${pct(l.hitAt3)}`);
  if (r.misses.length) {
    console.log('  missed (not in the top 3):');
    for (const m of r.misses)
      console.log(`    [${m.locale}] ${m.question}  → want ${m.expect}, got ${m.got.join(', ') || 'nothing'}`);
  }
} finally {
  await handle.close();
}
