import type { QueueEntry } from '@autocrm/shared';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import { getRoutingSettings } from './routing-settings';

/**
 * The queue: conversations nobody could take yet, per team, ordered by priority then waiting time.
 * Estimated wait = (position / agents of the team online, rounded up) × the average handling time
 * (the routing setting `defaultHandleMinutes`); null when nobody of the team is online.
 */
export async function listQueue(db: Db, opts: { teamId?: string | undefined } = {}): Promise<QueueEntry[]> {
  let q = db
    .selectFrom('conversation_routing as r')
    .innerJoin('conversations as c', 'c.id', 'r.conversation_id')
    .select(['r.conversation_id', 'c.number', 'r.team_id', 'c.priority', 'r.queued_at'])
    .where('r.state', '=', 'queued')
    .orderBy('c.priority_rank', 'desc')
    .orderBy('r.queued_at')
    .orderBy('r.conversation_id');
  if (opts.teamId) q = q.where('r.team_id', '=', opts.teamId);
  const rows = await q.execute();
  const settings = await getRoutingSettings(db);
  const online = await db
    .selectFrom('agent_routing_state as s')
    .leftJoin('team_members as m', 'm.user_id', 's.user_id')
    .select(['m.team_id', sql<string>`count(distinct s.user_id)`.as('n')])
    .where('s.presence', '=', 'online')
    .groupBy('m.team_id')
    .execute();
  const onlineIn = (teamId: string | null) =>
    teamId ? Number(online.find((o) => o.team_id === teamId)?.n ?? 0) : online.reduce((a, o) => Math.max(a, Number(o.n)), 0);
  const positions = new Map<string | null, number>();
  return rows.map((r) => {
    const position = (positions.get(r.team_id) ?? 0) + 1;
    positions.set(r.team_id, position);
    const agents = onlineIn(r.team_id);
    return {
      conversationId: r.conversation_id,
      number: r.number,
      teamId: r.team_id,
      priority: r.priority,
      queuedAt: (r.queued_at ?? new Date(0)).toISOString(),
      position,
      estimatedWaitMinutes: agents > 0 ? Math.ceil(position / agents) * settings.defaultHandleMinutes : null,
    };
  });
}

export async function queuePositionOf(db: Db, conversationId: string) {
  const row = await db
    .selectFrom('conversation_routing')
    .select('team_id')
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst();
  const entries = await listQueue(db, { teamId: row?.team_id ?? undefined });
  const e = entries.find((x) => x.conversationId === conversationId);
  return e ? { position: e.position, estimatedWaitMinutes: e.estimatedWaitMinutes } : null;
}
