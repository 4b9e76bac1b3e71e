import type { ReportFigures } from '@autocrm/shared';
import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../storage/db';
import { type BucketCount, histogramStats, parseBucketMetric } from './duration-histogram';
import { type DurationRow, presentDurations } from './durations';
import type { ReportFilters } from './report-filters';
import type { ReportWindow } from './report-window';
import { dayDim, rollupsReady } from './rollups';

/**
 * Where a report reads from. `auto` (the default): the rollups whenever they can answer exactly, the
 * raw tables otherwise; `raw`: always the raw tables (the property test and the bench compare the two).
 */
export type ReportSource = 'auto' | 'raw';

/** Whether this report may read the rollups: asked for, and built (a rebuild may still be running). */
export const mayReadRollups = async (db: Db, source: ReportSource | undefined) => source !== 'raw' && (await rollupsReady(db));

const HOUR_MS = 3_600_000;

/**
 * The rollup row set that answers these filters: at most one dimension is set (rollups are per single
 * dimension; two at once, say inbox and tag, are answered from the raw tables).
 */
export function rollupTarget(f: ReportFilters): { dim: string; key: string } | null {
  const set: [string, string | undefined][] = [
    ['inbox', f.inbox],
    ['channel', f.channel],
    ['team', f.team],
    ['agent', f.agent],
    ['tag', f.tag?.toLowerCase()],
    ['priority', f.priority],
  ];
  const given = set.filter(([, v]) => v);
  if (given.length > 1) return null;
  const [one] = given;
  return one ? { dim: one[0], key: one[1] as string } : { dim: 'all', key: '' };
}

/** The offset of a zone at an instant, in minutes (from Intl's "GMT+05:30"). */
function offsetMinutes(timeZone: string, at: Date): number {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/**
 * Rollups are per UTC hour: a window (and, for per-day or per-hour charts, every local day and hour in
 * it) must start on a whole UTC hour. True for every zone with whole-hour offsets; India, Newfoundland
 * or Nepal read from the raw tables instead.
 */
export function rollupsFit(window: ReportWindow, perLocalHour = false): boolean {
  if (window.start.getTime() % HOUR_MS || window.end.getTime() % HOUR_MS) return false;
  if (!perLocalHour) return true;
  return [window.start, window.end].every((d) => offsetMinutes(window.timeZone, d) % 60 === 0);
}

export const rollupWhere = (t: { dim: string; key: string }) => sql`r.dim = ${t.dim} and r.key = ${t.key}`;

const DAY_MS = 86_400_000;

/**
 * The rollup rows (aliased `r`) that sum to [start, end) for one dimension (and key, or every key):
 * the whole UTC days inside from the per-day rows, the hours before the first and after the last of
 * them from the hourly rows. The window starts and ends on whole hours (rollupsFit).
 */
export function rollupSpan(props: { dim: string; key?: string; start: Date; end: Date }): RawBuilder<boolean> {
  const { dim, start, end } = props;
  const key = props.key === undefined ? sql`true` : sql`r.key = ${props.key}`;
  const dayStart = new Date(Math.ceil(start.getTime() / DAY_MS) * DAY_MS);
  const dayEnd = new Date(Math.floor(end.getTime() / DAY_MS) * DAY_MS);
  if (dayStart >= dayEnd) return sql<boolean>`(r.dim = ${dim} and ${key} and r.hour >= ${start} and r.hour < ${end})`;
  return sql<boolean>`(
    (r.dim = ${dim} and ${key} and ((r.hour >= ${start} and r.hour < ${dayStart}) or (r.hour >= ${dayEnd} and r.hour < ${end})))
    or (r.dim = ${dayDim(dim)} and ${key} and r.hour >= ${dayStart} and r.hour < ${dayEnd}))`;
}

/**
 * The same rows as rollupSpan, as a row source (`from (${...}) r`): each part its own range scan, so
 * Postgres reads them from the covering index report_rollups_span_cover alone (an OR of ranges
 * would be a bitmap scan visiting the table). For the reads that sum tens of thousands of rows.
 */
export function rollupSpanRows(props: { dim: string; key?: string; start: Date; end: Date }): RawBuilder<unknown> {
  const { dim, start, end } = props;
  const key = props.key === undefined ? sql`true` : sql`r.key = ${props.key}`;
  const cols = sql`r.key, r.metric, r.n, r.total`;
  const dayStart = new Date(Math.ceil(start.getTime() / DAY_MS) * DAY_MS);
  const dayEnd = new Date(Math.floor(end.getTime() / DAY_MS) * DAY_MS);
  if (dayStart >= dayEnd)
    return sql`select ${cols} from report_rollups r where r.dim = ${dim} and ${key} and r.hour >= ${start} and r.hour < ${end}`;
  return sql`
    select ${cols} from report_rollups r where r.dim = ${dim} and ${key} and r.hour >= ${start} and r.hour < ${dayStart}
    union all select ${cols} from report_rollups r where r.dim = ${dim} and ${key} and r.hour >= ${dayEnd} and r.hour < ${end}
    union all select ${cols} from report_rollups r where r.dim = ${dayDim(dim)} and ${key} and r.hour >= ${dayStart} and r.hour < ${dayEnd}`;
}

/** The condition on report_facts (aliased `f`) for any combination of filters. */
export function factFilter(f: ReportFilters): RawBuilder<boolean> {
  const parts: RawBuilder<unknown>[] = [sql`true`];
  if (f.inbox) parts.push(sql`f.inbox_id = ${f.inbox}`);
  if (f.team) parts.push(sql`f.team_id = ${f.team}`);
  if (f.agent) parts.push(sql`f.assignee_id = ${f.agent}`);
  if (f.priority) parts.push(sql`f.priority = ${f.priority}`);
  if (f.channel) parts.push(sql`f.channel = ${f.channel}`);
  if (f.tag) parts.push(sql`lower(${f.tag}) = any(f.tags)`);
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}

/**
 * The duration histograms in rollup rows (metric `<prefix>:<bucket>`), as count, median and p90 in
 * seconds: summing a few hundred rows per window instead of sorting every duration in it.
 */
export function histogramFromRollups(rows: { metric: string; n: number; total: number }[], prefix: string): DurationRow {
  const buckets: BucketCount[] = rows
    .filter((r) => r.metric.startsWith(`${prefix}:`))
    .map((r) => ({ bucket: parseBucketMetric(r.metric), n: Number(r.n), totalMs: Number(r.total) }));
  return histogramStats(buckets);
}

/**
 * The overview's figures from the rollups alone (medians and 90th percentiles from their duration
 * histograms). Null when the rollups cannot answer these filters or this window exactly.
 */
export async function rollupFigures(
  db: Db,
  props: { window: ReportWindow; filters: ReportFilters },
): Promise<ReportFigures | null> {
  const target = rollupTarget(props.filters);
  if (!target || !rollupsFit(props.window)) return null;
  const { start, end } = props.window;
  const { rows } = await sql<{ metric: string; n: number; total: number }>`
    select r.metric, sum(r.n)::float8 as n, sum(r.total)::float8 as total from report_rollups r
    where ${rollupSpan({ ...target, start, end })}
    group by r.metric`.execute(db);
  const m = new Map(rows.map((r) => [r.metric, { n: Number(r.n), total: Number(r.total) }]));
  const n = (metric: string) => m.get(metric)?.n ?? 0;
  const distribution = [1, 2, 3, 4, 5].map((r) => n(`csat_${r}`));
  const responses = n('csat');
  const handoffReasons = [...m.entries()]
    .filter(([k, v]) => k.startsWith('handoff:') && v.n > 0)
    .map(([k, v]) => ({ reason: k.slice('handoff:'.length), count: v.n }))
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
  const resolvedN = n('resolved');
  return {
    created: n('created'),
    resolved: resolvedN,
    reopened: n('reopened'),
    firstResponse: presentDurations(histogramFromRollups(rows, 'frt_b')),
    resolution: presentDurations(histogramFromRollups(rows, 'res_b')),
    csat: {
      responses,
      average: responses ? Math.round(((m.get('csat')?.total ?? 0) / responses) * 100) / 100 : null,
      distribution,
      responseRate: resolvedN ? Math.round((n('rated_resolved') / resolvedN) * 1000) / 1000 : null,
    },
    bot: {
      botHandled: n('bot_handled'),
      deflected: n('deflected'),
      handoffs: handoffReasons.reduce((s, r) => s + r.count, 0),
      handoffReasons,
    },
  };
}
