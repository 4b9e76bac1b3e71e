import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import type { ReportFilters } from './report-filters';
import { conversationFilter } from './report-filters';
import type { ReportWindow } from './report-window';

/** One wait for a reply after the first response: from the customer's message to the agent's next reply. */
export interface NextResponseWait {
  conversationId: string;
  teamId: string | null;
  waitedFrom: Date;
  repliedAt: Date;
}

const REPLY = sql`m.author_kind = 'agent' and not m.private and m.deleted_at is null`;

/**
 * Next-response waits answered in the window: for each public agent reply that has an earlier public
 * agent reply in its conversation, the earliest customer message between the two starts the wait and
 * the reply ends it. A reply with no customer message since the previous one (a follow-up) is no wait.
 * The first reply of a conversation is the first response, not a next response. `teams`: only the
 * conversations of these teams.
 */
export async function nextResponseWaits(
  db: Db,
  props: { window: ReportWindow; filters: ReportFilters; teams?: string[] | undefined },
): Promise<NextResponseWait[]> {
  const { start, end } = props.window;
  const { rows } = await sql<{ conversation_id: string; team_id: string | null; waited_from: Date; replied_at: Date }>`
    with replies as (
      select m.conversation_id, c.team_id, m.seq, m.created_at,
        lag(m.seq) over (partition by m.conversation_id order by m.seq) as prev_seq
      from messages m join conversations c on c.id = m.conversation_id
      where ${conversationFilter(props.filters)} and ${REPLY} and m.created_at < ${end}
        ${props.teams ? sql`and c.team_id in (${sql.join(props.teams)})` : sql``}
        and m.conversation_id in (select m.conversation_id from messages m
          where ${REPLY} and m.created_at >= ${start} and m.created_at < ${end})
    )
    select r.conversation_id, r.team_id, r.created_at as replied_at,
      (select min(cm.created_at) from messages cm where cm.conversation_id = r.conversation_id
         and cm.author_kind = 'contact' and cm.deleted_at is null and cm.seq > r.prev_seq and cm.seq < r.seq) as waited_from
    from replies r
    where r.prev_seq is not null and r.created_at >= ${start}`.execute(db);
  return rows
    .filter((r) => r.waited_from !== null)
    .map((r) => ({
      conversationId: r.conversation_id,
      teamId: r.team_id,
      waitedFrom: new Date(r.waited_from),
      repliedAt: new Date(r.replied_at),
    }));
}
