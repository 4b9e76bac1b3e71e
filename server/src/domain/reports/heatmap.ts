import type { ReportHeatmap, ReportQuery } from '@autocrm/shared';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { reportContext } from './report-context';
import { conversationFilter } from './report-filters';
import { mayReadRollups, type ReportSource, rollupsFit, rollupTarget, rollupWhere } from './rollup-read';

/** Conversations created per local weekday and hour: all 168 cells, zeros included, so charts need no gaps logic. */
export async function reportHeatmap(
  db: Db,
  props: { actor: Actor; query: ReportQuery; source?: ReportSource },
): Promise<ReportHeatmap> {
  const { query, window } = await reportContext(db, props);
  const tz = window.timeZone;
  const target = rollupTarget(query);
  const { rows } = await (target && rollupsFit(window, true) && (await mayReadRollups(db, props.source))
    ? sql<{ weekday: number; hour: number; count: number }>`
    select extract(isodow from r.hour at time zone ${tz})::int as weekday,
           extract(hour from r.hour at time zone ${tz})::int as hour,
           sum(r.n)::int as count
    from report_rollups r
    where ${rollupWhere(target)} and r.metric = 'created' and r.hour >= ${window.start} and r.hour < ${window.end}
    group by 1, 2`
    : sql<{ weekday: number; hour: number; count: number }>`
    select extract(isodow from c.created_at at time zone ${tz})::int as weekday,
           extract(hour from c.created_at at time zone ${tz})::int as hour,
           count(*)::int as count
    from conversations c
    where ${conversationFilter(query)} and c.created_at >= ${window.start} and c.created_at < ${window.end}
    group by 1, 2`
  ).execute(db);
  const counts = new Map(rows.map((r) => [`${r.weekday}:${r.hour}`, r.count]));
  const data: ReportHeatmap['data'] = [];
  for (let weekday = 1; weekday <= 7; weekday++)
    for (let hour = 0; hour < 24; hour++) data.push({ weekday, hour, count: counts.get(`${weekday}:${hour}`) ?? 0 });
  return { timeZone: tz, data };
}
