import type { ReportQuery } from '@autocrm/shared';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';

/** A report's span as instants: local midnight of `from` up to (not including) local midnight after `to`. */
export interface ReportWindow {
  timeZone: string;
  from: string;
  to: string;
  start: Date;
  end: Date;
}

const DAY_MS = 86_400_000;
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/**
 * Local midnights come from Postgres's own time zone rules (`timestamp AT TIME ZONE`), so a day that
 * has 23 or 25 hours (a daylight-saving change) starts and ends where the workspace's clocks say.
 */
export async function reportWindow(db: Db, props: { from: string; to: string; timeZone: string }): Promise<ReportWindow> {
  const { rows } = await sql<{ start: Date; end: Date }>`
    select (${props.from}::date)::timestamp at time zone ${props.timeZone} as start,
           (${props.to}::date + 1)::timestamp at time zone ${props.timeZone} as "end"`.execute(db);
  const row = rows[0];
  if (!row) throw new Error('report window: no row');
  return { timeZone: props.timeZone, from: props.from, to: props.to, start: new Date(row.start), end: new Date(row.end) };
}

/** The same number of days just before: the comparison every overview carries. */
export function previousDays(q: Pick<ReportQuery, 'from' | 'to'>): { from: string; to: string } {
  const days = Math.round((Date.parse(q.to) - Date.parse(q.from)) / DAY_MS) + 1;
  return { from: addDays(q.from, -days), to: addDays(q.from, -1) };
}
