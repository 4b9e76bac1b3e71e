import type { QueueEntry } from '@autocrm/shared';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import { visibleInboxIds } from '../access/gate';
import type { Actor } from '../actor';
import { getRoutingSettings } from './routing-settings';

/**
 * Who really waits in line: a routing row can stay `queued` while its conversation no longer waits for
 * a person (taken by hand, snoozed, merged away, back with the bot, finished). Counting those put a
 * visitor "number 3 in line (about 20 min)" with an agent online and nobody ahead of them.
 */
const WAITING_FOR_A_PERSON = sql<boolean>`c.assignee_id IS NULL AND c.owner = 'human' AND c.status_category IN ('open', 'pending')
  AND c.snoozed_until IS NULL AND NOT c.snooze_until_reply AND c.merged_into_id IS NULL`;

/**
 * The queue: conversations nobody could take yet, per team, ordered by priority then waiting time.
 * Estimated wait = (position / agents of the team online, rounded up) × the average handling time
 * (the routing setting `defaultHandleMinutes`); null when nobody of the team is online.
 */
export async function listQueue(
  db: Db,
  opts: { teamId?: string | undefined; actor?: Actor | undefined } = {},
): Promise<QueueEntry[]> {
  // Positions count the whole queue (a hidden conversation ahead still waits ahead); only the
  // entries the actor may see are answered.
  const visible = opts.actor ? await visibleInboxIds(db, opts.actor) : null;
  let q = db
    .selectFrom('conversation_routing as r')
    .innerJoin('conversations as c', 'c.id', 'r.conversation_id')
    .select(['r.conversation_id', 'c.number', 'r.team_id', 'c.priority', 'r.queued_at', 'c.inbox_id'])
    .where('r.state', '=', 'queued')
    .where(WAITING_FOR_A_PERSON)
    .orderBy('c.priority_rank', 'desc')
    .orderBy('r.queued_at')
    .orderBy('r.conversation_id');
  if (opts.teamId) q = q.where('r.team_id', '=', opts.teamId);
  const rows = await q.execute();
  const settings = await getRoutingSettings(db);
  const onlineIn = await onlineAgentsByTeam(db);
  const positions = new Map<string | null, number>();
  const entries = rows.map((r) => {
    const position = (positions.get(r.team_id) ?? 0) + 1;
    positions.set(r.team_id, position);
    const agents = onlineIn(r.team_id);
    return {
      inboxId: r.inbox_id,
      conversationId: r.conversation_id,
      number: r.number,
      teamId: r.team_id,
      priority: r.priority,
      queuedAt: (r.queued_at ?? new Date(0)).toISOString(),
      position,
      estimatedWaitMinutes: agents > 0 ? Math.ceil(position / agents) * settings.defaultHandleMinutes : null,
    };
  });
  return entries.filter((e) => !visible || visible.includes(e.inboxId)).map(({ inboxId: _, ...entry }) => entry);
}

/** Agents online per team; for conversations without a team, the best-staffed team's count. */
async function onlineAgentsByTeam(db: Db): Promise<(teamId: string | null) => number> {
  const online = await db
    .selectFrom('agent_routing_state as s')
    .leftJoin('team_members as m', 'm.user_id', 's.user_id')
    .select(['m.team_id', sql<string>`count(distinct s.user_id)`.as('n')])
    .where('s.presence', '=', 'online')
    .groupBy('m.team_id')
    .execute();
  return (teamId) =>
    teamId ? Number(online.find((o) => o.team_id === teamId)?.n ?? 0) : online.reduce((a, o) => Math.max(a, Number(o.n)), 0);
}

/**
 * One conversation's place in its team's queue, as listQueue would number it, by counting who is
 * ahead (this runs for every conversation queued: reading the whole queue made it grow with the queue).
 */
export async function queuePositionOf(db: Db, conversationId: string) {
  const { rows } = await sql<{ team_id: string | null; state: string; ahead: number }>`
    SELECT m.team_id, m.state, (
      SELECT count(*) FROM conversation_routing r JOIN conversations c ON c.id = r.conversation_id
      WHERE r.state = 'queued' AND r.team_id IS NOT DISTINCT FROM m.team_id
        AND ${WAITING_FOR_A_PERSON}
        AND (c.priority_rank > mc.priority_rank OR (c.priority_rank = mc.priority_rank AND
          (coalesce(r.queued_at, 'infinity'::timestamptz), r.conversation_id)
            < (coalesce(m.queued_at, 'infinity'::timestamptz), m.conversation_id)))
    )::int AS ahead
    FROM conversation_routing m JOIN conversations mc ON mc.id = m.conversation_id
    WHERE m.conversation_id = ${conversationId}`.execute(db);
  const me = rows[0];
  if (me?.state !== 'queued') return null;
  const position = Number(me.ahead) + 1;
  const [settings, onlineIn] = await Promise.all([getRoutingSettings(db), onlineAgentsByTeam(db)]);
  const agents = onlineIn(me.team_id);
  return { position, estimatedWaitMinutes: agents > 0 ? Math.ceil(position / agents) * settings.defaultHandleMinutes : null };
}
