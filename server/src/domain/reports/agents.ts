import type { AgentStats, ReportAgents, ReportQuery } from '@autocrm/shared';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { type DurationRow, durationStats, presentDurations } from './durations';
import { reportContext } from './report-context';
import { conversationFilter } from './report-filters';

/**
 * Per agent (the conversation's assignee): conversations assigned and created in the period, resolved
 * in the period, public replies written in the period, first-response and resolution times, CSAT.
 * Every active user is listed (zeros included) so an idle agent shows as idle, not as missing.
 */
export async function reportAgents(db: Db, props: { actor: Actor; query: ReportQuery }): Promise<ReportAgents> {
  const { query, window } = await reportContext(db, props);
  const { start, end } = window;
  const where = conversationFilter(query);
  const users = await db
    .selectFrom('users')
    .select(['id', 'name', 'display_name'])
    .where('active', '=', true)
    .$if(Boolean(query.agent), (q) => q.where('id', '=', query.agent as string))
    .orderBy('name')
    .execute();
  const assigned = await sql<{ id: string; n: number; csat_n: number; csat_avg: number | null }>`
    select c.assignee_id as id, count(*)::int as n,
      count(c.csat_rating)::int as csat_n, avg(c.csat_rating)::float8 as csat_avg
    from conversations c where ${where} and c.created_at >= ${start} and c.created_at < ${end} and c.assignee_id is not null
    group by c.assignee_id`.execute(db);
  const frt = await sql<DurationRow & { id: string }>`
    select c.assignee_id as id, ${durationStats(sql`(c.first_response_at - c.created_at)`)} from conversations c
    where ${where} and c.created_at >= ${start} and c.created_at < ${end} and c.first_response_at is not null and c.assignee_id is not null
    group by c.assignee_id`.execute(db);
  const resolution = await sql<DurationRow & { id: string }>`
    select c.assignee_id as id, ${durationStats(sql`(c.resolved_at - c.created_at)`)} from conversations c
    where ${where} and c.resolved_at >= ${start} and c.resolved_at < ${end} and c.assignee_id is not null
    group by c.assignee_id`.execute(db);
  // Replies count by author, not assignee: a colleague helping out gets credit for the reply they wrote.
  const replies = await sql<{ id: string; n: number }>`
    select m.author_id as id, count(*)::int as n from messages m join conversations c on c.id = m.conversation_id
    where ${conversationFilter({ ...query, agent: undefined })} and m.author_kind = 'agent' and not m.private and m.deleted_at is null
      and m.created_at >= ${start} and m.created_at < ${end} and m.author_id is not null
    group by m.author_id`.execute(db);
  const by = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));
  const [a, f, r, p] = [by(assigned.rows), by(frt.rows), by(resolution.rows), by(replies.rows)];
  const data: AgentStats[] = users.map((u) => {
    const csatAvg = a.get(u.id)?.csat_avg;
    return {
      agentId: u.id,
      name: u.display_name ?? u.name,
      assigned: a.get(u.id)?.n ?? 0,
      resolved: r.get(u.id)?.n ?? 0,
      replies: p.get(u.id)?.n ?? 0,
      firstResponse: presentDurations(f.get(u.id)),
      resolution: presentDurations(r.get(u.id)),
      csatAverage: csatAvg === null || csatAvg === undefined ? null : Math.round(Number(csatAvg) * 100) / 100,
      csatResponses: a.get(u.id)?.csat_n ?? 0,
    };
  });
  return { timeZone: window.timeZone, data };
}
