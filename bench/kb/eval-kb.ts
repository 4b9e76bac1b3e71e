import { migrateToLatest } from '../../db/migrate';
import { publishedLocales } from '../../server/src/domain/kb/published-locales';
import { loadSampleKb } from '../../server/src/seed/seed-demo-kb';
import { openDatabase } from '../../server/src/storage/db';
import { detectCapabilities } from '../../server/src/storage/extensions';
import { baselineRanker, productRanker, type SearchFigures, scoreBot, scoreSearch } from './evaluate-search';

// `npm run eval:kb`: the sample knowledge base with its hand-written keywords stripped, in a fresh
// database; search and the no-LLM bot scored on the tuning half and the held-back half of the
// evaluation set (db/kb-sample/eval-set.ts), next to the naive full-text baseline. DATABASE_URL selects
// Postgres (use a scratch database); otherwise in-memory PGlite. `--misses` lists the tuning half's misses,
// `--tune` scores the tuning half alone.
const handle = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: 'memory://' });
try {
  await migrateToLatest(handle.db);
  const { articles } = await loadSampleKb(handle.db, { keywords: false });
  const caps = await detectCapabilities(handle.db);
  const ctx = { db: handle.db, caps, defaultLocale: 'en' };
  const kbLocales = await publishedLocales(handle.db);
  const f = (x: number) => x.toFixed(3);
  const line = (name: string, r: SearchFigures) =>
    `  ${name.padEnd(24)} n=${r.questions}  hit@1 ${f(r.hitAt1)}  hit@3 ${f(r.hitAt3)}  hit@5 ${f(r.hitAt5)}  MRR@10 ${f(r.mrrAt10)}  ${r.msPerQuery.toFixed(1)} ms/q`;
  console.log(`knowledge-base evaluation on ${handle.kind}: ${articles} articles (en, de), no keywords`);
  console.log('search:');
  const results = [];
  // `--tune`: only the tuning half (while changing the ranking; the held-back half is scored at the end).
  const halves = process.argv.includes('--tune') ? (['tune'] as const) : (['tune', 'held'] as const);
  for (const half of halves) {
    const product = await scoreSearch(productRanker(ctx), half);
    const baseline = await scoreSearch(baselineRanker(ctx), half);
    console.log(line(`product, ${half === 'tune' ? 'tuning half' : 'held-back half'}`, product));
    console.log(line(`baseline, ${half === 'tune' ? 'tuning half' : 'held-back half'}`, baseline));
    results.push({ half, product });
  }
  console.log('bot (no LLM):');
  for (const half of halves) {
    const b = await scoreBot(ctx, half, kbLocales);
    console.log(
      `  ${half === 'tune' ? 'tuning half   ' : 'held-back half'}  first article right ${f(b.firstArticleRight)} (n=${b.answerable})  hand-off on answerable ${f(b.handoffOnAnswerable)}  wrong article on out-of-scope ${f(b.wrongArticleOnOutOfScope)} (n=${b.outOfScope})`,
    );
    if (half === 'tune') {
      const recall = Object.entries(b.personRecall)
        .map(([l, p]) => `${l} ${p.recall.toFixed(2)} (n=${p.asked})`)
        .join(', ');
      console.log(`  person-request recall: ${recall}`);
      if (process.argv.includes('--misses')) {
        for (const p of Object.values(b.personRecall)) for (const m of p.missed) console.log(`    person missed: ${m}`);
        for (const o of b.outOfScopeOffered) console.log(`    out-of-scope offered: ${o.question} → ${o.got}`);
      }
    }
  }
  if (process.argv.includes('--misses')) {
    const tune = results.find((r) => r.half === 'tune');
    for (const m of tune?.product.misses ?? [])
      console.log(`    [${m.locale}] ${m.question}  → want ${m.expect}, got ${m.got.join(', ') || 'nothing'}`);
  }
} finally {
  await handle.close();
}
