import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateSearch } from '../bench/kb/evaluate-search';
import { migrateToLatest } from '../db/migrate';
import { loadSampleKb } from '../server/src/seed/seed-demo-kb';
import { type DatabaseHandle, openDatabase } from '../server/src/storage/db';
import { detectCapabilities } from '../server/src/storage/extensions';
import { BACKEND, freshPostgresDatabase } from './helpers/test-server';

// Floors set from the measured figures (PGlite and Postgres 15: hit@1 86.4%, hit@3 97.5% on 81
// questions), a few questions below so wording changes in the sample do not flap, but a real
// regression in ranking, stemming, accents or typo correction fails.
const MIN_HIT_AT_3 = 0.93;
const MIN_HIT_AT_1 = 0.8;

describe(`knowledge-base search relevance on the sample KB (${BACKEND})`, () => {
  let handle: DatabaseHandle;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    let databaseUrl: string | undefined;
    if (process.env.DATABASE_URL) {
      const fresh = await freshPostgresDatabase(process.env.DATABASE_URL);
      databaseUrl = fresh.url;
      drop = fresh.drop;
    }
    handle = await openDatabase({ databaseUrl, dataDir: 'memory://' });
    await migrateToLatest(handle.db);
    await loadSampleKb(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
    await drop?.();
  });

  it(`keeps hit@3 ≥ ${MIN_HIT_AT_3 * 100}% and hit@1 ≥ ${MIN_HIT_AT_1 * 100}% over English and German questions`, async () => {
    const caps = await detectCapabilities(handle.db);
    const r = await evaluateSearch({ db: handle.db, caps, defaultLocale: 'en' });
    console.log(
      `kb search (${BACKEND}): hit@1 ${(r.hitAt1 * 100).toFixed(1)}%, hit@3 ${(r.hitAt3 * 100).toFixed(1)}% over ${r.questions} questions`,
    );
    expect(r.questions).toBeGreaterThanOrEqual(60);
    expect(Object.keys(r.byLocale).sort()).toEqual(['de', 'en']);
    expect(r.hitAt3, JSON.stringify(r.misses, null, 1)).toBeGreaterThanOrEqual(MIN_HIT_AT_3);
    expect(r.hitAt1).toBeGreaterThanOrEqual(MIN_HIT_AT_1);
  });
});
