import { sql } from 'kysely';

/**
 * Durations as a log-spaced histogram, so medians and 90th percentiles come from rollup rows (one
 * count and one sum per bucket and hour) instead of sorting every duration in the window.
 *
 * Bucket 0 holds durations under one second; bucket k (k >= 1) holds [BOUNDS[k-1], BOUNDS[k]) in
 * milliseconds, each bound 5 % above the one before, up to about six years (the last bucket is open).
 * Bounds are whole milliseconds, computed once, so the listener (JavaScript) and the rebuild and raw
 * queries (SQL `width_bucket`) put a duration in the same bucket by integer comparison alone.
 */
export const BUCKET_RATIO = 1.05;
export const BOUNDS: readonly number[] = Array.from({ length: 400 }, (_, k) => Math.round(1000 * BUCKET_RATIO ** k));

/** The bucket of a duration in milliseconds: the number of bounds at or below it, like SQL's width_bucket. */
export function bucketOf(ms: number): number {
  let lo = 0;
  let hi = BOUNDS.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((BOUNDS[mid] as number) <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The same bucket in SQL, for an expression in milliseconds. */
export const bucketSql = (msExpr: ReturnType<typeof sql>) =>
  sql`width_bucket((${msExpr})::bigint, ${sql.raw(`array[${BOUNDS.join(',')}]::bigint[]`)})`;

/** One bucket's rows summed over a window: how many durations fell in it, and their sum in ms. */
export interface BucketCount {
  bucket: number;
  n: number;
  totalMs: number;
}

/**
 * A percentile from a histogram (nearest rank): the duration at rank ceil(p * n) in ascending order
 * is in some bucket; the figure is the mean of the durations in that bucket. It always lies inside the
 * bucket, so it is within 5 % of the exact order statistic (exact when the bucket holds equal values,
 * as hand-made tests do). Seconds, or null for no durations.
 */
export function histogramPercentile(buckets: BucketCount[], p: number): number | null {
  const sorted = buckets.filter((b) => b.n > 0).sort((a, b) => a.bucket - b.bucket);
  const n = sorted.reduce((s, b) => s + b.n, 0);
  if (!n) return null;
  const rank = Math.max(1, Math.ceil(p * n - 1e-9));
  let seen = 0;
  for (const b of sorted) {
    seen += b.n;
    if (seen >= rank) return b.totalMs / b.n / 1000;
  }
  return null;
}

/** Count, median and p90 (seconds) from a histogram: the figures every duration in reports shows. */
export function histogramStats(buckets: BucketCount[]): { n: number; median: number | null; p90: number | null } {
  return {
    n: buckets.reduce((s, b) => s + b.n, 0),
    median: histogramPercentile(buckets, 0.5),
    p90: histogramPercentile(buckets, 0.9),
  };
}

/** The rollup metric of a histogram bucket: `<prefix>:<bucket>` (e.g. `frt_b:87`). */
export const bucketMetric = (prefix: string, bucket: number) => `${prefix}:${bucket}`;
export const parseBucketMetric = (metric: string) => Number(metric.slice(metric.indexOf(':') + 1));

/** Count, median and p90 of durations held in memory (ms), through the same histogram the rollups keep. */
export function statsOfMillis(values: number[]): { n: number; median: number | null; p90: number | null } {
  const by = new Map<number, BucketCount>();
  for (const v of values) {
    const bucket = bucketOf(v);
    const b = by.get(bucket) ?? { bucket, n: 0, totalMs: 0 };
    b.n += 1;
    b.totalMs += v;
    by.set(bucket, b);
  }
  return histogramStats([...by.values()]);
}
