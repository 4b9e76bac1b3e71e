import { sql } from 'kysely';
import type { Db } from '../../storage/db';

export interface PresenceSeconds {
  online: number;
  away: number;
  offline: number;
}

/**
 * Time online, away and offline per agent in [start, end), from the presence history
 * (agent_presence_log, kept by routing/agent-presence.ts): each interval clipped to the window, an
 * interval still open counted up to `now`. Time before an agent's first recorded change is not
 * counted: nothing says what they were then. Whole seconds (rounded down per agent and status).
 */
export async function presenceSeconds(
  db: Db,
  props: { start: Date; end: Date; now: Date; agent?: string | undefined; source?: 'auto' | 'raw' | undefined },
): Promise<Map<string, PresenceSeconds>> {
  const { start, end } = props;
  const whole = start.getTime() % HOUR_MS === 0 && end.getTime() % HOUR_MS === 0;
  const ms = props.source !== 'raw' && whole ? await rolledUpMillis(db, props) : await rawMillis(db, props);
  const out = new Map<string, PresenceSeconds>();
  for (const r of ms) {
    const t = out.get(r.user_id) ?? { online: 0, away: 0, offline: 0 };
    t[r.status] += Math.max(0, Math.floor(Number(r.ms) / 1000));
    out.set(r.user_id, t);
  }
  return out;
}

type Props = { start: Date; end: Date; now: Date; agent?: string | undefined };
type Row = { user_id: string; status: keyof PresenceSeconds; ms: number };
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Per agent and status, the milliseconds from the raw intervals (the reference). */
async function rawMillis(db: Db, props: Props): Promise<Row[]> {
  const { start, end, now } = props;
  const { rows } = await sql<Row>`
    select l.user_id, l.status,
      sum(extract(epoch from least(coalesce(l.ended_at, ${now}::timestamptz), ${end}::timestamptz)
                           - greatest(l.started_at, ${start}::timestamptz)) * 1000)::float8 as ms
    from agent_presence_log l
    where l.started_at < ${end} and l.started_at < ${now}
      and (l.ended_at is null or l.ended_at > ${start})
      and coalesce(l.ended_at, ${now}::timestamptz) > ${start}
      ${props.agent ? sql`and l.user_id = ${props.agent}` : sql``}
    group by l.user_id, l.status`.execute(db);
  return rows;
}

/**
 * The same from agent_presence_rollups (closed intervals per UTC hour and day: whole days from the day
 * rows, the hours at the edges from the hour rows) plus the open intervals up to `now`, minus closed
 * ones that start at or after `now` (the raw sum leaves those out). The window is on whole hours.
 */
async function rolledUpMillis(db: Db, props: Props): Promise<Row[]> {
  const { start, end, now } = props;
  const dayStart = new Date(Math.ceil(start.getTime() / DAY_MS) * DAY_MS);
  const dayEnd = new Date(Math.floor(end.getTime() / DAY_MS) * DAY_MS);
  const span =
    dayStart < dayEnd
      ? sql`((p.grain = 'hour' and ((p.at >= ${start} and p.at < ${dayStart}) or (p.at >= ${dayEnd} and p.at < ${end})))
              or (p.grain = 'day' and p.at >= ${dayStart} and p.at < ${dayEnd}))`
      : sql`(p.grain = 'hour' and p.at >= ${start} and p.at < ${end})`;
  const agent = (col: string) => (props.agent ? sql`and ${sql.ref(col)} = ${props.agent}` : sql``);
  const { rows } = await sql<Row>`
    select x.user_id, x.status, sum(x.ms)::float8 as ms from (
      select p.user_id, p.status, p.ms::numeric as ms from agent_presence_rollups p where ${span} ${agent('p.user_id')}
      union all
      select l.user_id, l.status,
        case when l.ended_at is null then 1 else -1 end
          * extract(epoch from least(coalesce(l.ended_at, ${now}::timestamptz), ${end}::timestamptz)
                               - greatest(l.started_at, ${start}::timestamptz)) * 1000
      from agent_presence_log l
      where ((l.ended_at is null and l.started_at < ${now} and ${now}::timestamptz > ${start})
          or (l.ended_at >= ${now} and l.started_at >= ${now} and l.ended_at > ${start}))
        and l.started_at < ${end} ${agent('l.user_id')}
    ) x group by 1, 2`.execute(db);
  return rows;
}
