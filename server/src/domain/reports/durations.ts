import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../storage/db';
import { type BucketCount, bucketSql, histogramStats } from './duration-histogram';

/** An interval in whole milliseconds, rounded exactly as report_facts stores its durations. */
export const intervalMs = (interval: RawBuilder<unknown>) => sql`round(extract(epoch from ${interval}) * 1000)::bigint`;

/**
 * The duration histogram (duration-histogram.ts) of an interval over the rows a query selects, grouped
 * by `groupBy` (an expression, or none): the raw-table path computing exactly what the rollups hold.
 * `from` is everything after FROM (tables, joins, where).
 */
export async function rawHistograms(
  db: Db,
  props: { interval: RawBuilder<unknown>; from: RawBuilder<unknown>; groupBy?: RawBuilder<unknown> },
): Promise<Map<string, DurationRow>> {
  const ms = intervalMs(props.interval);
  const { rows } = await sql<{ id: string | null; bucket: number; n: number; total: number }>`
    select ${props.groupBy ? sql`(${props.groupBy})::text` : sql`null::text`} as id, ${bucketSql(ms)} as bucket,
      count(*)::int as n, sum(${ms})::float8 as total
    from ${props.from}
    group by 1, 2`.execute(db);
  const by = new Map<string, BucketCount[]>();
  for (const r of rows) {
    const list = by.get(r.id ?? '') ?? [];
    list.push({ bucket: Number(r.bucket), n: Number(r.n), totalMs: Number(r.total) });
    by.set(r.id ?? '', list);
  }
  return new Map([...by.entries()].map(([k, v]) => [k, histogramStats(v)]));
}

export interface DurationRow {
  n: number;
  median: number | null;
  p90: number | null;
}

const round = (v: number | null) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);

export const presentDurations = (r: DurationRow | undefined) => ({
  count: Number(r?.n ?? 0),
  medianSeconds: round(r?.median ?? null),
  p90Seconds: round(r?.p90 ?? null),
});
