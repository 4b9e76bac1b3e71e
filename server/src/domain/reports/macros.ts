import type { ReportMacros, ReportQuery } from '@autocrm/shared';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { reportContext } from './report-context';
import { conversationFilter } from './report-filters';

/**
 * Macro uses in the period (by whom, last used), and how the conversations they were used in ended:
 * median resolution time (of those resolved; nearest rank, like every median in reports), average
 * CSAT (of those rated), and the share reopened after the macro was used.
 * The agent filter means "used by", so an agent's own report shows the macros they applied.
 */
export async function reportMacros(db: Db, props: { actor: Actor; query: ReportQuery }): Promise<ReportMacros> {
  const { query, window } = await reportContext(db, props);
  const where = conversationFilter({ ...query, agent: undefined });
  const byUser = query.agent ? sql`and u.user_id = ${query.agent}` : sql``;
  const { rows } = await sql<{
    macro_id: string | null;
    name: string;
    uses: number;
    users: number;
    last_used_at: Date;
    conversations: number;
    resolution_median: number | null;
    csat_avg: number | null;
    reopened: number;
  }>`
    with used as (
      select u.macro_id, u.macro_name, u.user_id, u.used_at, c.id as conversation_id, c.created_at, c.resolved_at, c.csat_rating
      from macro_uses u join conversations c on c.id = u.conversation_id
      where ${where} and u.used_at >= ${window.start} and u.used_at < ${window.end} ${byUser}
    ), per_conversation as (
      select macro_id, max(macro_name) as macro_name, conversation_id, min(used_at) as first_used,
        max(created_at) as created_at, max(resolved_at) as resolved_at, max(csat_rating) as csat_rating
      from used group by macro_id, conversation_id
    )
    select m.macro_id, m.name, m.uses, m.users, m.last_used_at, o.conversations, o.resolution_median, o.csat_avg, o.reopened
    from (
      select macro_id, (array_agg(macro_name order by used_at desc))[1] as name, count(*)::int as uses,
        count(distinct user_id)::int as users, max(used_at) as last_used_at
      from used group by macro_id
    ) m join (
      select p.macro_id, count(*)::int as conversations,
        percentile_disc(0.5) within group (order by extract(epoch from (p.resolved_at - p.created_at))::float8)
          filter (where p.resolved_at is not null) as resolution_median,
        avg(p.csat_rating)::float8 as csat_avg,
        count(*) filter (where exists (
          select 1 from status_history h
            join statuses fs on fs.id = h.from_status_id join statuses ts on ts.id = h.to_status_id
          where h.conversation_id = p.conversation_id and h.at > p.first_used
            and fs.category in ('resolved', 'closed') and ts.category not in ('resolved', 'closed')))::int as reopened
      from per_conversation p group by p.macro_id
    ) o on o.macro_id is not distinct from m.macro_id
    order by m.uses desc, m.name`.execute(db);
  // Who used each macro, most uses first (the user's current name; a deleted user shows as "(deleted)").
  const { rows: usedBy } = await sql<{ macro_id: string | null; user_id: string | null; name: string | null; n: number }>`
    select u.macro_id, u.user_id, max(coalesce(us.display_name, us.name)) as name, count(*)::int as n
    from macro_uses u join conversations c on c.id = u.conversation_id left join users us on us.id = u.user_id
    where ${where} and u.used_at >= ${window.start} and u.used_at < ${window.end} ${byUser}
    group by u.macro_id, u.user_id order by 4 desc, 3`.execute(db);
  return {
    timeZone: window.timeZone,
    data: rows.map((r) => ({
      macroId: r.macro_id,
      name: r.name,
      uses: r.uses,
      users: r.users,
      usedBy: usedBy
        .filter((u) => u.macro_id === r.macro_id)
        .map((u) => ({ userId: u.user_id, name: u.name ?? '(deleted)', uses: u.n })),
      lastUsedAt: new Date(r.last_used_at).toISOString(),
      conversations: r.conversations,
      resolutionMedianSeconds: r.resolution_median === null ? null : Math.round(Number(r.resolution_median) * 10) / 10,
      csatAverage: r.csat_avg === null ? null : Math.round(Number(r.csat_avg) * 100) / 100,
      reopenRate: r.conversations ? Math.round((r.reopened / r.conversations) * 1000) / 1000 : null,
    })),
  };
}
