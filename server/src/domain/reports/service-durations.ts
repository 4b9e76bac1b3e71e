import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import { ALWAYS_OPEN, alwaysOpen, type Calendar, openMillisBetween } from '../routing/business-hours';
import { BucketMap } from './bucket-map';
import { histogramStats, parseBucketMetric, statsOfMillis } from './duration-histogram';
import type { DurationRow } from './durations';
import { nextResponseWaits } from './next-response';
import { conversationFilter, type ReportFilters } from './report-filters';
import type { ReportWindow } from './report-window';
import { mayReadRollups, type ReportSource, rollupSpan, rollupsFit, rollupTarget } from './rollup-read';

export interface ServiceDurations {
  nextResponse: DurationRow;
  businessFirstResponse: DurationRow;
  businessNextResponse: DurationRow;
  businessResolution: DurationRow;
}

type Props = { window: ReportWindow; filters: ReportFilters; source: ReportSource | undefined; calendars: Map<string, Calendar> };

/**
 * The service page's durations: next-response time, and first-response, next-response and resolution
 * times in business hours (each conversation's team calendar; without a team, or with a calendar
 * that is always open, business time is wall time).
 *
 * From the rollups: the wall-time histograms (frt_b, res_b, nrt_b) are the business-time ones for every
 * conversation whose calendar is always open. The conversations of teams with opening hours or
 * holidays are then read raw: their wall durations taken out of the histograms and their business
 * durations put in. Calendars can change at any time, so business time is never stored; the raw part
 * is only as large as those teams' share of the window.
 */
export async function serviceDurations(db: Db, props: Props): Promise<ServiceDurations> {
  const target = rollupTarget(props.filters);
  if (!target || !rollupsFit(props.window) || !(await mayReadRollups(db, props.source))) return rawServiceDurations(db, props);
  const { start, end } = props.window;
  const { rows } = await sql<{ metric: string; n: number; total: number }>`
    select r.metric, sum(r.n)::float8 as n, sum(r.total)::float8 as total from report_rollups r
    where ${rollupSpan({ ...target, start, end })}
      and (r.metric like 'frt\\_b:%' or r.metric like 'res\\_b:%' or r.metric like 'nrt\\_b:%')
    group by r.metric`.execute(db);
  const histogram = (prefix: string) => {
    const m = new BucketMap();
    for (const r of rows)
      if (r.metric.startsWith(`${prefix}:`)) m.addBucket(parseBucketMetric(r.metric), Number(r.n), Number(r.total));
    return m;
  };
  const [frt, res, nrt] = [histogram('frt_b'), histogram('res_b'), histogram('nrt_b')];
  const nextResponse = histogramStats(nrt.buckets());
  const teams = [...props.calendars.entries()].filter(([, cal]) => !alwaysOpen(cal)).map(([id]) => id);
  if (teams.length) {
    const calendared = await calendaredDurations(db, { ...props, teams });
    for (const [m, list] of [
      [frt, calendared.firstResponse],
      [res, calendared.resolution],
      [nrt, calendared.nextResponse],
    ] as const)
      for (const d of list) m.add(d.wall, -1).add(d.business);
  }
  return {
    nextResponse,
    businessFirstResponse: histogramStats(frt.buckets()),
    businessNextResponse: histogramStats(nrt.buckets()),
    businessResolution: histogramStats(res.buckets()),
  };
}

type Spans = { teamId: string | null; from: Date; to: Date }[];

/** The three kinds of durations in the window as spans, from the raw tables (`teams`: only those teams' conversations). */
async function rawSpans(
  db: Db,
  props: { window: ReportWindow; filters: ReportFilters; teams?: string[] },
): Promise<{ firstResponse: Spans; resolution: Spans; nextResponse: Spans }> {
  const { start, end } = props.window;
  const where = conversationFilter(props.filters);
  const inTeams = props.teams ? sql`and c.team_id in (${sql.join(props.teams)})` : sql``;
  const { rows: firsts } = await sql<{ team_id: string | null; created_at: Date; first_response_at: Date }>`
    select c.team_id, c.created_at, c.first_response_at from conversations c
    where ${where} ${inTeams} and c.created_at >= ${start} and c.created_at < ${end} and c.first_response_at is not null`.execute(
    db,
  );
  const { rows: resolved } = await sql<{ team_id: string | null; created_at: Date; resolved_at: Date }>`
    select c.team_id, c.created_at, c.resolved_at from conversations c
    where ${where} ${inTeams} and c.resolved_at >= ${start} and c.resolved_at < ${end}`.execute(db);
  const waits = await nextResponseWaits(db, { window: props.window, filters: props.filters, teams: props.teams });
  const d = (v: Date) => new Date(v);
  return {
    firstResponse: firsts.map((r) => ({ teamId: r.team_id, from: d(r.created_at), to: d(r.first_response_at) })),
    resolution: resolved.map((r) => ({ teamId: r.team_id, from: d(r.created_at), to: d(r.resolved_at) })),
    nextResponse: waits.map((w) => ({ teamId: w.teamId, from: w.waitedFrom, to: w.repliedAt })),
  };
}

/** A conversation's business hours are its team's calendar; without a team every hour counts. */
const businessMs = (calendars: Map<string, Calendar>, s: Spans[number]) =>
  openMillisBetween(s.teamId ? (calendars.get(s.teamId) ?? ALWAYS_OPEN) : ALWAYS_OPEN, s.from, s.to);

async function calendaredDurations(db: Db, props: Props & { teams: string[] }) {
  const spans = await rawSpans(db, props);
  const both = (list: Spans) =>
    list.map((s) => ({ wall: s.to.getTime() - s.from.getTime(), business: businessMs(props.calendars, s) }));
  return {
    firstResponse: both(spans.firstResponse),
    resolution: both(spans.resolution),
    nextResponse: both(spans.nextResponse),
  };
}

/** Every duration from the raw tables (filters or windows the rollups cannot answer; the reference). */
async function rawServiceDurations(db: Db, props: Props): Promise<ServiceDurations> {
  const spans = await rawSpans(db, props);
  const business = (list: Spans) => statsOfMillis(list.map((s) => businessMs(props.calendars, s)));
  return {
    nextResponse: statsOfMillis(spans.nextResponse.map((s) => s.to.getTime() - s.from.getTime())),
    businessFirstResponse: business(spans.firstResponse),
    businessNextResponse: business(spans.nextResponse),
    businessResolution: business(spans.resolution),
  };
}
