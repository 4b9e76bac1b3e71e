import type { ReportFigures, ReportOverview, ReportQuery } from '@autocrm/shared';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { presentDurations, rawHistograms } from './durations';
import { scopedQuery } from './report-access';
import { conversationFilter, type ReportFilters } from './report-filters';
import { reportTimeZone } from './report-settings';
import { previousDays, type ReportWindow, reportWindow } from './report-window';
import { mayReadRollups, type ReportSource, rollupFigures } from './rollup-read';

const DONE = sql`('resolved', 'closed')`;

/**
 * Every headline figure for one window. Definitions (README "Reports"):
 * created: created in the window; resolved: resolved_at (the latest resolution) in the window;
 * reopened: status changes in the window from a resolved/closed status to an open/pending one;
 * first response: created in the window and answered, first_response_at - created_at;
 * resolution: resolved in the window, resolved_at - created_at; CSAT: rated in the window.
 */
export async function figuresFor(
  db: Db,
  props: { window: ReportWindow; filters: ReportFilters; source?: ReportSource },
): Promise<ReportFigures> {
  if (await mayReadRollups(db, props.source)) {
    const fromRollups = await rollupFigures(db, props);
    if (fromRollups) return fromRollups;
  }
  return rawFigures(db, props);
}

/** The same figures computed from the raw tables (filters the rollups cannot answer; the reference). */
export async function rawFigures(db: Db, props: { window: ReportWindow; filters: ReportFilters }): Promise<ReportFigures> {
  const { start, end } = props.window;
  const where = conversationFilter(props.filters);
  const counts = await sql<{ created: number; resolved: number; reopened: number; rated_resolved: number }>`
    select
      (select count(*)::int from conversations c where ${where} and c.created_at >= ${start} and c.created_at < ${end}) as created,
      (select count(*)::int from conversations c where ${where} and c.resolved_at >= ${start} and c.resolved_at < ${end}) as resolved,
      (select count(*)::int from conversations c where ${where} and c.resolved_at >= ${start} and c.resolved_at < ${end}
         and c.csat_rating is not null) as rated_resolved,
      (select count(*)::int from status_history h
         join conversations c on c.id = h.conversation_id
         join statuses fs on fs.id = h.from_status_id
         join statuses ts on ts.id = h.to_status_id
       where ${where} and h.at >= ${start} and h.at < ${end}
         and fs.category in ${DONE} and ts.category not in ${DONE}) as reopened`.execute(db);
  // The same histograms the rollups keep, so both paths give the same bucketed medians and p90s.
  const frt = await rawHistograms(db, {
    interval: sql`(c.first_response_at - c.created_at)`,
    from: sql`conversations c where ${where} and c.created_at >= ${start} and c.created_at < ${end} and c.first_response_at is not null`,
  });
  const resolution = await rawHistograms(db, {
    interval: sql`(c.resolved_at - c.created_at)`,
    from: sql`conversations c where ${where} and c.resolved_at >= ${start} and c.resolved_at < ${end}`,
  });
  const csat = await sql<{ rating: number; n: number }>`
    select c.csat_rating as rating, count(*)::int as n from conversations c
    where ${where} and c.csat_at >= ${start} and c.csat_at < ${end} and c.csat_rating is not null
    group by c.csat_rating`.execute(db);
  const bot = await sql<{ bot_handled: number; deflected: number }>`
    select count(*)::int as bot_handled,
      count(*) filter (where c.status_category in ${DONE} and not exists (
        select 1 from conversation_ownership o2 where o2.conversation_id = c.id and o2.to_owner = 'human'))::int as deflected
    from conversations c
    where ${where} and c.created_at >= ${start} and c.created_at < ${end}
      and exists (select 1 from conversation_ownership o where o.conversation_id = c.id and o.reason = 'created' and o.to_owner = 'bot')`.execute(
    db,
  );
  const handoffs = await sql<{ reason: string; n: number }>`
    select o.reason, count(*)::int as n from conversation_ownership o join conversations c on c.id = o.conversation_id
    where ${where} and o.at >= ${start} and o.at < ${end} and o.from_owner = 'bot' and o.to_owner = 'human'
    group by o.reason order by count(*) desc, o.reason`.execute(db);

  const c = counts.rows[0] ?? { created: 0, resolved: 0, reopened: 0, rated_resolved: 0 };
  const distribution = [0, 0, 0, 0, 0];
  let responses = 0;
  let sum = 0;
  for (const r of csat.rows) {
    distribution[r.rating - 1] = r.n;
    responses += r.n;
    sum += r.rating * r.n;
  }
  const b = bot.rows[0] ?? { bot_handled: 0, deflected: 0 };
  return {
    created: c.created,
    resolved: c.resolved,
    reopened: c.reopened,
    firstResponse: presentDurations(frt.get('')),
    resolution: presentDurations(resolution.get('')),
    csat: {
      responses,
      average: responses ? Math.round((sum / responses) * 100) / 100 : null,
      distribution,
      responseRate: c.resolved ? Math.round((c.rated_resolved / c.resolved) * 1000) / 1000 : null,
    },
    bot: {
      botHandled: b.bot_handled,
      deflected: b.deflected,
      handoffs: handoffs.rows.reduce((s, r) => s + r.n, 0),
      handoffReasons: handoffs.rows.map((r) => ({ reason: r.reason, count: r.n })),
    },
  };
}

/** The overview with the same figures for the period just before, for the arrows on the page. */
export async function reportOverview(
  db: Db,
  props: { actor: Actor; query: ReportQuery; source?: ReportSource },
): Promise<ReportOverview> {
  const query = scopedQuery(props.actor, props.query);
  const timeZone = query.timeZone ?? (await reportTimeZone(db));
  const window = await reportWindow(db, { from: query.from, to: query.to, timeZone });
  const prev = await reportWindow(db, { ...previousDays(query), timeZone });
  const [current, previous] = await Promise.all([
    figuresFor(db, { window, filters: query, source: props.source }),
    figuresFor(db, { window: prev, filters: query, source: props.source }),
  ]);
  return {
    timeZone,
    period: { from: window.start.toISOString(), to: window.end.toISOString() },
    previousPeriod: { from: prev.start.toISOString(), to: prev.end.toISOString() },
    current,
    previous,
  };
}
