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
  props: { start: Date; end: Date; now: Date; agent?: string | undefined },
): Promise<Map<string, PresenceSeconds>> {
  const { start, end, now } = props;
  const { rows } = await sql<{ user_id: string; status: keyof PresenceSeconds; ms: number }>`
    select l.user_id, l.status,
      sum(extract(epoch from least(coalesce(l.ended_at, ${now}::timestamptz), ${end}::timestamptz)
                           - greatest(l.started_at, ${start}::timestamptz)) * 1000)::float8 as ms
    from agent_presence_log l
    where l.started_at < ${end} and l.started_at < ${now}
      and (l.ended_at is null or l.ended_at > ${start})
      and coalesce(l.ended_at, ${now}::timestamptz) > ${start}
      ${props.agent ? sql`and l.user_id = ${props.agent}` : sql``}
    group by l.user_id, l.status`.execute(db);
  const out = new Map<string, PresenceSeconds>();
  for (const r of rows) {
    const t = out.get(r.user_id) ?? { online: 0, away: 0, offline: 0 };
    t[r.status] += Math.max(0, Math.floor(Number(r.ms) / 1000));
    out.set(r.user_id, t);
  }
  return out;
}
