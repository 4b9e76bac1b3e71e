import { emit } from '../../events/outbox';
import type { Db } from '../../storage/db';
import { SYSTEM } from '../actor';
import { applyConversationUpdate } from '../conversations/update-conversation';
import { loadsOf } from './agents';
import { isOnShift } from './on-shift';
import { type Candidate, pickAgent } from './pick-agent';
import { queuePositionOf } from './queue';
import { getRoutingSettings } from './routing-settings';

export type AssignResult = { kind: 'assigned'; userId: string } | { kind: 'queued' } | { kind: 'skipped' };

/** The routing row, locked, with what assignment needs of its conversation. */
function readAssignRow(trx: Db, conversationId: string) {
  return trx
    .selectFrom('conversation_routing as r')
    .innerJoin('conversations as c', 'c.id', 'r.conversation_id')
    .innerJoin('inboxes as i', 'i.id', 'c.inbox_id')
    .select([
      'r.state',
      'r.team_id',
      'r.required_skills',
      'r.queued_at',
      'r.overflowed_at',
      'c.assignee_id',
      'c.team_id as conversation_team_id',
      'c.status_category',
      'c.inbox_id',
      'i.channel',
    ])
    .where('r.conversation_id', '=', conversationId)
    .forUpdate('r')
    .executeTakeFirst();
}

/** What assignment reads of a conversation: a caller that just wrote it under the lock may pass it. */
export type AssignRow = NonNullable<Awaited<ReturnType<typeof readAssignRow>>>;

/**
 * Gives one conversation to the best available agent, or leaves it in the queue. The caller holds
 * the routing lock (takeRoutingLock) in `trx`: loads are counted and the assignment written under it.
 * `known`: the routing row as the caller (classification) has just written it, locked, in this
 * transaction; read here when left out.
 */
export async function assignConversation(
  trx: Db,
  props: { conversationId: string; now: Date; exclude?: string[]; known?: AssignRow },
): Promise<AssignResult> {
  const { conversationId, now } = props;
  const row = props.known ?? (await readAssignRow(trx, conversationId));
  if (!row) return { kind: 'skipped' };
  if (row.status_category === 'resolved' || row.status_category === 'closed') {
    await trx
      .updateTable('conversation_routing')
      .set({ state: 'done', updated_at: now })
      .where('conversation_id', '=', conversationId)
      .execute();
    return { kind: 'skipped' };
  }
  if (row.assignee_id) {
    if (row.state !== 'assigned')
      await trx
        .updateTable('conversation_routing')
        .set({ state: 'assigned', updated_at: now })
        .where('conversation_id', '=', conversationId)
        .execute();
    return { kind: 'skipped' };
  }

  // Which teams: the routing team, widened to its overflow team once the conversation overflowed.
  const teamIds: string[] = [];
  let relax = false;
  if (row.team_id) {
    teamIds.push(row.team_id);
    if (row.overflowed_at) {
      const team = await trx
        .selectFrom('teams')
        .select(['overflow_team_id', 'overflow_relax_skills'])
        .where('id', '=', row.team_id)
        .executeTakeFirst();
      if (team?.overflow_team_id) teamIds.push(team.overflow_team_id);
      relax = team?.overflow_relax_skills ?? false;
    }
  }
  let memberQuery = trx
    .selectFrom('users as u')
    .leftJoin('inbox_members as im', (j) => j.onRef('im.user_id', '=', 'u.id').on('im.inbox_id', '=', row.inbox_id))
    .innerJoin('agent_routing_state as s', 's.user_id', 'u.id')
    .select(['u.id', 'u.role', 'im.user_id as inbox_member', 's.last_assigned_at'])
    .where('u.active', '=', true)
    .where('s.presence', '=', 'online');
  memberQuery = teamIds.length
    ? memberQuery.where('u.id', 'in', trx.selectFrom('team_members').select('user_id').where('team_id', 'in', teamIds))
    : memberQuery.where('im.user_id', 'is not', null);
  // Agents only work inboxes they belong to; supervisors and admins see every inbox.
  const people = (await memberQuery.execute()).filter((p) => p.role !== 'agent' || p.inbox_member);
  const ids = people.map((p) => p.id);
  let candidates: Candidate[] = [];
  if (ids.length) {
    const [settings, skills, shifts, caps, loads] = await Promise.all([
      getRoutingSettings(trx),
      trx.selectFrom('agent_skills').selectAll().where('user_id', 'in', ids).execute(),
      trx.selectFrom('agent_shifts').selectAll().where('user_id', 'in', ids).execute(),
      trx.selectFrom('agent_capacity').selectAll().where('user_id', 'in', ids).execute(),
      loadsOf(trx, ids),
    ]);
    candidates = people.map((p) => {
      const mine = caps.filter((c) => c.user_id === p.id);
      return {
        userId: p.id,
        online: true,
        onShift: isOnShift(
          shifts.filter((s) => s.user_id === p.id),
          now,
        ),
        skills: new Map(skills.filter((s) => s.user_id === p.id).map((s) => [s.skill_id, s.level])),
        load: loads.get(p.id)?.total ?? 0,
        capacity: mine.find((c) => c.channel === '*')?.max_concurrent ?? settings.defaultCapacity,
        channelLoad: loads.get(p.id)?.byChannel.get(row.channel) ?? 0,
        channelCapacity: mine.find((c) => c.channel === row.channel)?.max_concurrent ?? null,
        lastAssignedAt: p.last_assigned_at,
      };
    });
  }
  const required = row.required_skills.map((s) => ({ skillId: s.skillId, minLevel: relax ? 1 : s.minLevel }));
  const chosen = pickAgent(candidates, { requiredSkills: required, ...(props.exclude ? { exclude: props.exclude } : {}) });

  if (chosen) {
    const teamId = row.team_id && row.team_id !== row.conversation_team_id ? row.team_id : undefined;
    await applyConversationUpdate(trx, {
      actor: SYSTEM,
      id: conversationId,
      update: { assigneeId: chosen.userId, ...(teamId ? { teamId } : {}) },
    });
    await trx.updateTable('agent_routing_state').set({ last_assigned_at: now }).where('user_id', '=', chosen.userId).execute();
    await trx
      .updateTable('conversation_routing')
      .set({ state: 'assigned', updated_at: now })
      .where('conversation_id', '=', conversationId)
      .execute();
    return { kind: 'assigned', userId: chosen.userId };
  }

  if (row.state !== 'queued') {
    await trx
      .updateTable('conversation_routing')
      .set({ state: 'queued', queued_at: row.queued_at ?? now, updated_at: now })
      .where('conversation_id', '=', conversationId)
      .execute();
    const pos = await queuePositionOf(trx, conversationId);
    await emit(trx, 'routing.queued', {
      conversationId,
      teamId: row.team_id,
      position: pos?.position ?? 1,
      estimatedWaitMinutes: pos?.estimatedWaitMinutes ?? null,
    });
  }
  return { kind: 'queued' };
}
