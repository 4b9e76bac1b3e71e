import { sql } from 'kysely';
import { EVAL_QUESTIONS } from '../../db/kb-sample/eval-questions';
import { migrateToLatest } from '../../db/migrate';
import { termGroups } from '../../server/src/domain/kb/query-terms';
import { searchKb } from '../../server/src/domain/kb/search';
import { openDatabase } from '../../server/src/storage/db';
import { detectCapabilities } from '../../server/src/storage/extensions';
import { freshPostgresDatabase } from '../../tests/helpers/test-server';
import { generateCorpus } from './generate-corpus';

// `DATABASE_URL=… npx tsx bench/kb/probe-latency.ts 20000`: one search at a time over a generated corpus,
// to see where a query's time goes (a diagnostic, not the benchmark).
const n = Number(process.argv[2] ?? 20000);
const fresh = await freshPostgresDatabase(process.env.DATABASE_URL as string);
const handle = await openDatabase({ databaseUrl: fresh.url, dataDir: 'memory://' });
try {
  await migrateToLatest(handle.db);
  let t = performance.now();
  await generateCorpus(handle.db, n);
  console.log(`corpus ${n} in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  const ctx = { db: handle.db, caps: await detectCapabilities(handle.db), defaultLocale: 'en' };
  const times: number[] = [];
  for (const q of EVAL_QUESTIONS.slice(0, 20)) {
    t = performance.now();
    await termGroups(handle.db, { caps: ctx.caps, q: q.question, locale: q.locale });
    const groupsMs = performance.now() - t;
    t = performance.now();
    await searchKb(ctx, { q: q.question, locale: q.locale, limit: 5 });
    times.push(performance.now() - t);
    times.push(groupsMs);
  }
  console.log('ms per query', times.map((x) => x.toFixed(0)).join(' '));
  if (process.argv.includes('--explain')) {
    await sql`LOAD 'auto_explain'`.execute(handle.db).catch(() => {});
  }
} finally {
  await handle.close();
  await fresh.drop();
}
