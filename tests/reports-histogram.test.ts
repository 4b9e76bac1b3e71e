import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BOUNDS,
  bucketOf,
  bucketSql,
  histogramPercentile,
  histogramStats,
} from '../server/src/domain/reports/duration-histogram';
import { BACKEND, startTestServer, type TestServer } from './helpers/test-server';

// Medians and p90s in reports come from log-spaced duration histograms (README "Reports"): the figure
// is the mean of the bucket the nearest-rank percentile falls in, within 5 % of the exact value.

const exactNearestRank = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length - 1e-9)) - 1] as number;
};
const histogramOf = (values: number[]) => {
  const by = new Map<number, { bucket: number; n: number; totalMs: number }>();
  for (const v of values) {
    const b = bucketOf(v);
    const e = by.get(b) ?? { bucket: b, n: 0, totalMs: 0 };
    e.n += 1;
    e.totalMs += v;
    by.set(b, e);
  }
  return [...by.values()];
};

describe('duration histogram', () => {
  it('has bounds 5 % apart, and puts each duration between its bucket bounds', () => {
    for (let k = 1; k < BOUNDS.length; k++) expect((BOUNDS[k] as number) / (BOUNDS[k - 1] as number)).toBeCloseTo(1.05, 2);
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(999)).toBe(0);
    expect(bucketOf(1000)).toBe(1);
    expect(bucketOf(1049)).toBe(1);
    expect(bucketOf(1050)).toBe(2);
    expect(bucketOf(Number.MAX_SAFE_INTEGER)).toBe(BOUNDS.length);
  });

  it('gives nearest-rank percentiles within 5 % of the exact value (1 s and longer)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1000, max: 30 * 86_400_000 }), { minLength: 1, maxLength: 200 }),
        fc.constantFrom(0.5, 0.9),
        (values, p) => {
          const exact = exactNearestRank(values, p) / 1000;
          const got = histogramPercentile(histogramOf(values), p) as number;
          expect(Math.abs(got - exact) / exact).toBeLessThan(0.05);
        },
      ),
    );
  });

  it('is exact when the bucket holds equal values, and empty gives null', () => {
    expect(histogramStats(histogramOf([60_000, 120_000, 600_000]))).toEqual({ n: 3, median: 120, p90: 600 });
    expect(histogramStats(histogramOf([3_600_000, 7_200_000]))).toEqual({ n: 2, median: 3600, p90: 7200 });
    expect(histogramStats([])).toEqual({ n: 0, median: null, p90: null });
  });
});

describe(`duration histogram in SQL agrees with JavaScript (${BACKEND})`, () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  it('width_bucket puts every bound, and one below and above it, where bucketOf does', async () => {
    const probes = [0, 1, 999, ...BOUNDS.flatMap((b) => [b - 1, b, b + 1]), 10 ** 12];
    const { rows } = await sql<{ ms: string; bucket: number }>`
      select v::text as ms, ${bucketSql(sql`v`)} as bucket from unnest(${sql.raw(`array[${probes.join(',')}]::bigint[]`)}) v`.execute(
      s.deps.db,
    );
    expect(rows.map((r) => [Number(r.ms), Number(r.bucket)])).toEqual(probes.map((v) => [v, bucketOf(v)]));
  });
});
