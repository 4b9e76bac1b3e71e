import type { ReportQuery, ReportTimeseries } from '@autocrm/shared';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { reportContext } from './report-context';
import { conversationFilter } from './report-filters';

/**
 * Per local day: created, resolved, reopened, and the backlog (created by the end of the day and not
 * resolved by then, judged by each conversation's latest resolution).
 */
export async function reportTimeseries(db: Db, props: { actor: Actor; query: ReportQuery }): Promise<ReportTimeseries> {
  const { query, window } = await reportContext(db, props);
  const where = conversationFilter(query);
  const tz = window.timeZone;
  const { rows } = await sql<{ day: string; created: number; resolved: number; reopened: number; backlog: number }>`
    with days as (
      select to_char(d, 'YYYY-MM-DD') as day,
             d::timestamp at time zone ${tz} as s,
             (d + interval '1 day')::timestamp at time zone ${tz} as e
      from generate_series(${query.from}::date, ${query.to}::date, interval '1 day') d
    )
    select days.day,
      (select count(*)::int from conversations c where ${where} and c.created_at >= days.s and c.created_at < days.e) as created,
      (select count(*)::int from conversations c where ${where} and c.resolved_at >= days.s and c.resolved_at < days.e) as resolved,
      (select count(*)::int from status_history h
         join conversations c on c.id = h.conversation_id
         join statuses fs on fs.id = h.from_status_id
         join statuses ts on ts.id = h.to_status_id
       where ${where} and h.at >= days.s and h.at < days.e
         and fs.category in ('resolved', 'closed') and ts.category not in ('resolved', 'closed')) as reopened,
      (select count(*)::int from conversations c where ${where} and c.created_at < days.e
         and (c.resolved_at is null or c.resolved_at >= days.e)) as backlog
    from days order by days.day`.execute(db);
  return { timeZone: tz, data: rows };
}
