import { sql } from 'kysely';
import type { Db } from '../../storage/db';

const SPANS = [
  ['hour', 3_600_000],
  ['day', 86_400_000],
] as const;

/** A closed presence interval (agent_presence_log row with an end). */
export interface ClosedInterval {
  user_id: string;
  status: string;
  started_at: Date;
  ended_at: Date;
}

/**
 * Moves agent_presence_rollups by these closed intervals (sign 1 when one closes, -1 when the retention
 * job deletes it): each UTC hour and each UTC day they overlap gains or loses the milliseconds spent
 * in it, so the rollups always hold exactly the closed intervals in the log.
 */
export async function movePresenceRollups(trx: Db, intervals: ClosedInterval[], sign: 1 | -1): Promise<void> {
  const delta = new Map<string, { user_id: string; status: string; grain: string; at: number; ms: number }>();
  for (const i of intervals) {
    const s0 = new Date(i.started_at).getTime();
    const e0 = new Date(i.ended_at).getTime();
    for (const [grain, span] of SPANS)
      for (let at = Math.floor(s0 / span) * span; at < e0; at += span) {
        const ms = Math.min(e0, at + span) - Math.max(s0, at);
        const k = `${i.user_id}\u0000${i.status}\u0000${grain}\u0000${at}`;
        const d = delta.get(k) ?? { user_id: i.user_id, status: i.status, grain, at, ms: 0 };
        d.ms += sign * ms;
        delta.set(k, d);
      }
  }
  const rows = [...delta.values()].filter((d) => d.ms !== 0);
  for (let i = 0; i < rows.length; i += 500)
    await sql`
      insert into agent_presence_rollups (user_id, status, grain, at, ms)
      values ${sql.join(rows.slice(i, i + 500).map((d) => sql`(${d.user_id}, ${d.status}, ${d.grain}, ${new Date(d.at)}, ${d.ms})`))}
      on conflict (grain, at, user_id, status) do update set ms = agent_presence_rollups.ms + excluded.ms`.execute(trx);
}
