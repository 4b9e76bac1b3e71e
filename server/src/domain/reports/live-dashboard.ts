import type { LiveDashboard } from '@autocrm/shared';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';

/**
 * The supervisor's "right now": open and pending rooms, who waits and for how long, SLA at risk, and
 * each active user's presence and load. Read fresh on every call; the page re-reads it when a
 * conversation, message or presence event arrives on its socket. An agent gets the same board over
 * their own conversations (and only themselves in the agent list), like every other report.
 */
export async function liveDashboard(db: Db, props: { actor: Actor; now?: Date }): Promise<LiveDashboard> {
  const now = props.now ?? new Date();
  const self = props.actor.kind === 'user' && props.actor.role === 'agent' ? props.actor.id : null;
  const mine = self ? sql`and c.assignee_id = ${self}` : sql``;
  const { rows } = await sql<{
    open: number;
    pending: number;
    waiting: number;
    oldest_wait: Date | null;
    unassigned: number;
    at_risk: number;
    breached: number;
  }>`
    select
      count(*) filter (where c.status_category = 'open')::int as open,
      count(*) filter (where c.status_category = 'pending')::int as pending,
      count(*) filter (where c.status_category = 'open' and c.waiting_since is not null)::int as waiting,
      min(c.waiting_since) filter (where c.status_category = 'open') as oldest_wait,
      count(*) filter (where c.assignee_id is null and c.owner = 'human')::int as unassigned,
      count(*) filter (where r.sla_state = 'warning')::int as at_risk,
      count(*) filter (where r.sla_state = 'breached')::int as breached
    from conversations c left join conversation_routing r on r.conversation_id = c.id
    where c.status_category in ('open', 'pending') and c.merged_into_id is null ${mine}`.execute(db);
  const agents = await sql<{ id: string; name: string; presence: 'online' | 'away' | 'offline' | null; load: number }>`
    select u.id, coalesce(u.display_name, u.name) as name, s.presence,
      (select count(*)::int from conversations c where c.assignee_id = u.id and c.status_category in ('open', 'pending')) as load
    from users u left join agent_routing_state s on s.user_id = u.id
    where u.active ${self ? sql`and u.id = ${self}` : sql``} order by u.name`.execute(db);
  const r = rows[0];
  const oldest = r?.oldest_wait ? new Date(r.oldest_wait) : null;
  return {
    at: now.toISOString(),
    open: r?.open ?? 0,
    pending: r?.pending ?? 0,
    waiting: r?.waiting ?? 0,
    longestWaitSeconds: oldest ? Math.max(0, Math.round((now.getTime() - oldest.getTime()) / 1000)) : null,
    unassigned: r?.unassigned ?? 0,
    slaAtRisk: r?.at_risk ?? 0,
    slaBreached: r?.breached ?? 0,
    agents: agents.rows.map((a) => ({ agentId: a.id, name: a.name, presence: a.presence ?? 'offline', openAssigned: a.load })),
  };
}
