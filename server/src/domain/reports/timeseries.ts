import type { ReportQuery, ReportTimeseries } from '@autocrm/shared';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { reportContext } from './report-context';
import { conversationFilter } from './report-filters';
import { mayReadRollups, type ReportSource, rollupsFit, rollupTarget, rollupWhere } from './rollup-read';

/**
 * Per local day: created, resolved, reopened, and the backlog (created by the end of the day and not
 * resolved by then, judged by each conversation's latest resolution). One pass per figure grouped by
 * local day, not one query per day: the backlog is the backlog before the window plus the running sum
 * of created minus resolved (a conversation is never resolved before it is created).
 */
export async function reportTimeseries(
  db: Db,
  props: { actor: Actor; query: ReportQuery; source?: ReportSource },
): Promise<ReportTimeseries> {
  const { query, window } = await reportContext(db, props);
  const { start, end, timeZone: tz } = window;
  const target = rollupTarget(query);
  if (target && rollupsFit(window, true) && (await mayReadRollups(db, props.source))) {
    // The same figures from the hourly rollups: each UTC hour falls in one local day.
    const r = rollupWhere(target);
    const { rows } = await sql<{ day: string; created: number; resolved: number; reopened: number; backlog: number }>`
      with days as (select d::date as day from generate_series(${query.from}::date, ${query.to}::date, interval '1 day') d),
      per_day as (
        select (r.hour at time zone ${tz})::date as day,
          sum(r.n) filter (where r.metric = 'created') as created,
          sum(r.n) filter (where r.metric = 'resolved') as resolved,
          sum(r.n) filter (where r.metric = 'reopened') as reopened
        from report_rollups r
        where ${r} and r.metric in ('created', 'resolved', 'reopened') and r.hour >= ${start} and r.hour < ${end}
        group by 1
      ), before as (
        select coalesce(sum(r.n) filter (where r.metric = 'created'), 0) - coalesce(sum(r.n) filter (where r.metric = 'resolved'), 0) as n
        from report_rollups r where ${r} and r.metric in ('created', 'resolved') and r.hour < ${start}
      )
      select to_char(days.day, 'YYYY-MM-DD') as day,
        coalesce(p.created, 0)::int as created, coalesce(p.resolved, 0)::int as resolved, coalesce(p.reopened, 0)::int as reopened,
        ((select n from before) + sum(coalesce(p.created, 0) - coalesce(p.resolved, 0)) over (order by days.day))::int as backlog
      from days left join per_day p on p.day = days.day
      order by days.day`.execute(db);
    return { timeZone: tz, data: rows };
  }
  const where = conversationFilter(query);
  const { rows } = await sql<{ day: string; created: number; resolved: number; reopened: number; backlog: number }>`
    with days as (select d::date as day from generate_series(${query.from}::date, ${query.to}::date, interval '1 day') d),
    created as (
      select (c.created_at at time zone ${tz})::date as day, count(*)::int as n from conversations c
      where ${where} and c.created_at >= ${start} and c.created_at < ${end} group by 1
    ), resolved as (
      select (c.resolved_at at time zone ${tz})::date as day, count(*)::int as n from conversations c
      where ${where} and c.resolved_at >= ${start} and c.resolved_at < ${end} group by 1
    ), reopened as (
      select (h.at at time zone ${tz})::date as day, count(*)::int as n from status_history h
        join conversations c on c.id = h.conversation_id
        join statuses fs on fs.id = h.from_status_id
        join statuses ts on ts.id = h.to_status_id
      where ${where} and h.at >= ${start} and h.at < ${end}
        and fs.category in ('resolved', 'closed') and ts.category not in ('resolved', 'closed')
      group by 1
    ), before as (
      select (select count(*) from conversations c where ${where} and c.created_at < ${start})
           - (select count(*) from conversations c where ${where} and c.resolved_at < ${start}) as n
    )
    select to_char(days.day, 'YYYY-MM-DD') as day,
      coalesce(cr.n, 0) as created, coalesce(rs.n, 0) as resolved, coalesce(ro.n, 0) as reopened,
      ((select n from before) + sum(coalesce(cr.n, 0) - coalesce(rs.n, 0)) over (order by days.day))::int as backlog
    from days
      left join created cr on cr.day = days.day
      left join resolved rs on rs.day = days.day
      left join reopened ro on ro.day = days.day
    order by days.day`.execute(db);
  return { timeZone: tz, data: rows };
}
