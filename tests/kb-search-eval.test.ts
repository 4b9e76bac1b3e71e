import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineRanker, productRanker, scoreBot, scoreSearch } from '../bench/kb/evaluate-search';
import { migrateToLatest } from '../db/migrate';
import type { KbSearchContext } from '../server/src/domain/kb/search';
import { loadSampleKb } from '../server/src/seed/seed-demo-kb';
import { type DatabaseHandle, openDatabase } from '../server/src/storage/db';
import { detectCapabilities } from '../server/src/storage/extensions';
import { BACKEND, freshPostgresDatabase } from './helpers/test-server';

// The held-back half of the evaluation (db/kb-sample/eval-set.ts), never used to tune the ranking or
// the bot's thresholds, over the sample knowledge base without its hand-written keywords. Floors a
// little below what was measured at the end of issue 16's second stop, and again at the third (PGlite and Postgres alike: hit@1
// 0.735, hit@3 0.882, MRR@10 0.810; bot: first article right 0.600, hand-off on answerable 0.018, wrong
// article on out-of-scope 0.130), so a wording change does not flap but a real regression fails.
const FLOOR = { hitAt1: 0.71, hitAt3: 0.86, mrrAt10: 0.79 };
// Several hundred searches each: minutes on a machine shared by many test runs.
const LONG = 300_000;
const BOT = { firstArticleRight: 0.58, maxHandoffOnAnswerable: 0.05, maxWrongOnOutOfScope: 0.2 };

describe(`knowledge-base search and the no-LLM bot on the held-back evaluation half (${BACKEND})`, () => {
  let handle: DatabaseHandle;
  let drop: (() => Promise<void>) | undefined;
  let ctx: KbSearchContext;

  beforeAll(async () => {
    let databaseUrl: string | undefined;
    if (process.env.DATABASE_URL) {
      const fresh = await freshPostgresDatabase(process.env.DATABASE_URL);
      databaseUrl = fresh.url;
      drop = fresh.drop;
    }
    handle = await openDatabase({ databaseUrl, dataDir: 'memory://' });
    await migrateToLatest(handle.db);
    await loadSampleKb(handle.db, { keywords: false });
    ctx = { db: handle.db, caps: await detectCapabilities(handle.db), defaultLocale: 'en' };
  }, LONG);
  afterAll(async () => {
    await handle?.close();
    await drop?.();
  });

  it(
    `search keeps hit@1 ≥ ${FLOOR.hitAt1}, hit@3 ≥ ${FLOOR.hitAt3}, MRR@10 ≥ ${FLOOR.mrrAt10}, and beats the naive baseline at hit@3`,
    async () => {
      const r = await scoreSearch(productRanker(ctx), 'held');
      const base = await scoreSearch(baselineRanker(ctx), 'held');
      console.log(
        `held-back search (${BACKEND}): hit@1 ${r.hitAt1.toFixed(3)} hit@3 ${r.hitAt3.toFixed(3)} MRR ${r.mrrAt10.toFixed(3)} over ${r.questions}; baseline ${base.hitAt1.toFixed(3)} / ${base.hitAt3.toFixed(3)} / ${base.mrrAt10.toFixed(3)}`,
      );
      expect(r.questions).toBeGreaterThanOrEqual(150);
      expect(r.hitAt1).toBeGreaterThanOrEqual(FLOOR.hitAt1);
      expect(r.hitAt3).toBeGreaterThanOrEqual(FLOOR.hitAt3);
      expect(r.mrrAt10).toBeGreaterThanOrEqual(FLOOR.mrrAt10);
      expect(r.hitAt3).toBeGreaterThanOrEqual(base.hitAt3);
    },
    LONG,
  );

  it(
    'the bot answers most answerable questions, rarely hands them off, rarely offers an article out of scope, and hands off every request for a person',
    async () => {
      const b = await scoreBot(ctx, 'held', ['en', 'de']);
      console.log(
        `held-back bot (${BACKEND}): first article right ${b.firstArticleRight.toFixed(3)}, hand-off on answerable ${b.handoffOnAnswerable.toFixed(3)}, wrong article on out-of-scope ${b.wrongArticleOnOutOfScope.toFixed(3)}`,
      );
      expect(b.firstArticleRight).toBeGreaterThanOrEqual(BOT.firstArticleRight);
      expect(b.handoffOnAnswerable).toBeLessThanOrEqual(BOT.maxHandoffOnAnswerable);
      expect(b.wrongArticleOnOutOfScope).toBeLessThanOrEqual(BOT.maxWrongOnOutOfScope);
      for (const [locale, p] of Object.entries(b.personRecall)) expect(p.missed, locale).toEqual([]);
      expect(Object.keys(b.personRecall).sort()).toEqual(['de', 'en', 'es', 'fr', 'pt']);
    },
    LONG,
  );
});
