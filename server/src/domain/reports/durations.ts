import { type RawBuilder, sql } from 'kysely';

/** Median and 90th percentile of an interval expression, in seconds (continuous percentiles, as Postgres computes them). */
export const durationStats = (interval: RawBuilder<unknown>) => sql`
  count(${interval})::int as n,
  percentile_cont(0.5) within group (order by extract(epoch from ${interval})::float8) as median,
  percentile_cont(0.9) within group (order by extract(epoch from ${interval})::float8) as p90`;

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
