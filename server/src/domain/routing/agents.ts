import { type AgentRouting, type AgentRoutingUpdate, AppError, WEEKDAYS } from '@autocrm/shared';
import { emit } from '../../events/outbox';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';
import { getRoutingSettings } from './routing-settings';

/** Conversations an agent is working: assigned and not resolved or closed. */
export async function loadsOf(
  db: Db,
  userIds: string[],
): Promise<Map<string, { total: number; byChannel: Map<string, number> }>> {
  const out = new Map<string, { total: number; byChannel: Map<string, number> }>();
  if (!userIds.length) return out;
  const rows = await db
    .selectFrom('conversations as c')
    .innerJoin('inboxes as i', 'i.id', 'c.inbox_id')
    .select(['c.assignee_id', 'i.channel', (eb) => eb.fn.countAll<string>().as('n')])
    .where('c.assignee_id', 'in', userIds)
    .where('c.status_category', 'in', ['open', 'pending'])
    .groupBy(['c.assignee_id', 'i.channel'])
    .execute();
  for (const r of rows) {
    if (!r.assignee_id) continue;
    const entry = out.get(r.assignee_id) ?? { total: 0, byChannel: new Map() };
    entry.total += Number(r.n);
    entry.byChannel.set(r.channel, Number(r.n));
    out.set(r.assignee_id, entry);
  }
  return out;
}

/**
 * Whether any online agent is below their overall capacity: when none is, no queued conversation can
 * be assigned, and backfill stops instead of trying each one (shifts, skills and per-channel limits
 * can only narrow this further, so `false` is exact and `true` only means "worth trying").
 */
export async function anySeatFree(db: Db, defaultCapacity: number): Promise<boolean> {
  const row = await db
    .selectFrom('users as u')
    .innerJoin('agent_routing_state as s', 's.user_id', 'u.id')
    .leftJoin('agent_capacity as cap', (j) => j.onRef('cap.user_id', '=', 'u.id').on('cap.channel', '=', '*'))
    .select('u.id')
    .where('u.active', '=', true)
    .where('s.presence', '=', 'online')
    .where(({ eb, fn, selectFrom }) =>
      eb(
        selectFrom('conversations as c')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('c.assignee_id', '=', 'u.id')
          .where('c.status_category', 'in', ['open', 'pending']),
        '<',
        fn.coalesce('cap.max_concurrent', eb.val(defaultCapacity)),
      ),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listAgentRouting(db: Db, userIds?: string[]): Promise<AgentRouting[]> {
  let q = db.selectFrom('users').select(['id', 'name']).where('active', '=', true).orderBy('name');
  if (userIds) q = q.where('id', 'in', userIds.length ? userIds : ['00000000-0000-0000-0000-000000000000']);
  const users = await q.execute();
  const ids = users.map((u) => u.id);
  if (!ids.length) return [];
  const settings = await getRoutingSettings(db);
  const [skills, shifts, caps, states, loads] = await Promise.all([
    db
      .selectFrom('agent_skills as a')
      .innerJoin('skills as s', 's.id', 'a.skill_id')
      .select(['a.user_id', 'a.skill_id', 'a.level', 's.name'])
      .where('a.user_id', 'in', ids)
      .orderBy('s.name')
      .execute(),
    db.selectFrom('agent_shifts').selectAll().where('user_id', 'in', ids).orderBy('weekday').orderBy('start_time').execute(),
    db.selectFrom('agent_capacity').selectAll().where('user_id', 'in', ids).execute(),
    db.selectFrom('agent_routing_state').selectAll().where('user_id', 'in', ids).execute(),
    loadsOf(db, ids),
  ]);
  return users.map((u) => {
    const mine = caps.filter((c) => c.user_id === u.id);
    const state = states.find((s) => s.user_id === u.id);
    return {
      userId: u.id,
      name: u.name,
      skills: skills.filter((s) => s.user_id === u.id).map((s) => ({ skillId: s.skill_id, level: s.level, name: s.name })),
      shifts: shifts
        .filter((s) => s.user_id === u.id)
        .map((s) => ({ weekday: WEEKDAYS[s.weekday - 1] ?? 'mon', start: s.start_time, end: s.end_time, timeZone: s.time_zone })),
      capacity: {
        max: mine.find((c) => c.channel === '*')?.max_concurrent ?? settings.defaultCapacity,
        perChannel: Object.fromEntries(mine.filter((c) => c.channel !== '*').map((c) => [c.channel, c.max_concurrent])),
      },
      presence: state?.presence ?? 'offline',
      load: loads.get(u.id)?.total ?? 0,
      lastAssignedAt: state?.last_assigned_at?.toISOString() ?? null,
    };
  });
}

export async function getAgentRouting(db: Db, userId: string): Promise<AgentRouting> {
  const [a] = await listAgentRouting(db, [userId]);
  if (!a) throw new AppError('not_found', `user ${userId} not found`);
  return a;
}

export type UpdateAgentRoutingProps = { actor: Actor; userId: string; input: AgentRoutingUpdate };

/** Replaces an agent's skills, shifts or capacity (each part only when given). */
export async function updateAgentRouting(db: Db, { actor, userId, input }: UpdateAgentRoutingProps): Promise<AgentRouting> {
  return db.transaction().execute(async (trx) => {
    const before = await getAgentRouting(trx, userId);
    if (input.skills) {
      const ids = [...new Set(input.skills.map((s) => s.skillId))];
      if (ids.length) {
        const found = await trx.selectFrom('skills').select('id').where('id', 'in', ids).execute();
        if (found.length !== ids.length)
          throw new AppError('validation_failed', 'skills: unknown skill', [
            { path: 'skills', message: 'contains an unknown skill' },
          ]);
      }
      await trx.deleteFrom('agent_skills').where('user_id', '=', userId).execute();
      if (input.skills.length)
        await trx
          .insertInto('agent_skills')
          .values(
            ids.map((skill_id) => ({
              user_id: userId,
              skill_id,
              level: input.skills?.find((s) => s.skillId === skill_id)?.level ?? 1,
            })),
          )
          .execute();
    }
    if (input.shifts) {
      await trx.deleteFrom('agent_shifts').where('user_id', '=', userId).execute();
      if (input.shifts.length)
        await trx
          .insertInto('agent_shifts')
          .values(
            input.shifts.map((s) => ({
              user_id: userId,
              weekday: WEEKDAYS.indexOf(s.weekday) + 1,
              start_time: s.start,
              end_time: s.end,
              time_zone: s.timeZone ?? 'UTC',
            })),
          )
          .execute();
    }
    if (input.capacity) {
      await trx.deleteFrom('agent_capacity').where('user_id', '=', userId).execute();
      await trx
        .insertInto('agent_capacity')
        .values([
          { user_id: userId, channel: '*', max_concurrent: input.capacity.max },
          ...Object.entries(input.capacity.perChannel ?? {}).map(([channel, max]) => ({
            user_id: userId,
            channel,
            max_concurrent: max ?? 0,
          })),
        ])
        .execute();
    }
    const after = await getAgentRouting(trx, userId);
    await recordAudit(trx, { actor, action: 'agent_routing.updated', entityType: 'user', entityId: userId, before, after });
    await emit(trx, 'routing.settings_changed', { what: 'agent', id: userId });
    return after;
  });
}
