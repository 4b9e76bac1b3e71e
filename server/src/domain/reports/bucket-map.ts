import { type BucketCount, bucketOf } from './duration-histogram';

/**
 * A duration histogram being assembled: rollup rows added in, single durations added or taken out.
 * Counts and sums are whole numbers, so taking out a duration that was added (from the rollups) leaves
 * exactly the histogram of the others.
 */
export class BucketMap {
  private readonly by = new Map<number, BucketCount>();

  addBucket(bucket: number, n: number, totalMs: number): this {
    const b = this.by.get(bucket) ?? { bucket, n: 0, totalMs: 0 };
    b.n += n;
    b.totalMs += totalMs;
    this.by.set(bucket, b);
    return this;
  }

  /** One duration in (sign 1) or out (sign -1). */
  add(ms: number, sign: 1 | -1 = 1): this {
    return this.addBucket(bucketOf(ms), sign, sign * ms);
  }

  buckets(): BucketCount[] {
    return [...this.by.values()].filter((b) => b.n !== 0);
  }
}
