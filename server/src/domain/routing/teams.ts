import { AppError, type Team, type TeamCreate, type TeamUpdate } from '@autocrm/shared';
import { sql } from 'kysely';
import { emit } from '../../events/outbox';
import { cached } from '../../storage/cache/config-cache';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';
import type { Calendar } from './business-hours';

// Drivers differ in how they return a date column; text is the same everywhere.
const isoDate = sql<string>`to_char(team_holidays.date, 'YYYY-MM-DD')`.as('date');

/** Teams with their members (and lead), calendar and overflow policy. */
export async function listTeams(db: Db, ids?: string[]): Promise<Team[]> {
  let q = db.selectFrom('teams').selectAll().orderBy('name');
  if (ids) q = q.where('id', 'in', ids.length ? ids : ['00000000-0000-0000-0000-000000000000']);
  const teams = await q.execute();
  if (!teams.length) return [];
  const teamIds = teams.map((t) => t.id);
  const members = await db
    .selectFrom('team_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.team_id', 'm.user_id', 'm.is_lead', 'u.name'])
    .where('m.team_id', 'in', teamIds)
    .orderBy('u.name')
    .execute();
  const holidays = await db
    .selectFrom('team_holidays')
    .select(['team_id', 'name', isoDate])
    .where('team_id', 'in', teamIds)
    .orderBy('team_holidays.date')
    .execute();
  return teams.map((t) => ({
    id: t.id,
    name: t.name,
    timeZone: t.time_zone,
    businessHours: t.business_hours,
    holidays: holidays.filter((h) => h.team_id === t.id).map((h) => ({ date: h.date, name: h.name })),
    overflow: { afterMinutes: t.overflow_after_minutes, teamId: t.overflow_team_id, relaxSkills: t.overflow_relax_skills },
    members: members.filter((m) => m.team_id === t.id).map((m) => ({ userId: m.user_id, name: m.name, isLead: m.is_lead })),
  }));
}

export async function getTeam(db: Db, id: string): Promise<Team> {
  const [team] = await listTeams(db, [id]);
  if (!team) throw new AppError('not_found', `team ${id} not found`);
  return team;
}

async function writeParts(trx: Db, teamId: string, input: TeamUpdate) {
  if (input.members) {
    const ids = [...new Set(input.members.map((m) => m.userId))];
    if (ids.length) {
      const found = await trx.selectFrom('users').select('id').where('id', 'in', ids).execute();
      if (found.length !== ids.length)
        throw new AppError('validation_failed', 'members: unknown user', [
          { path: 'members', message: 'contains an unknown user' },
        ]);
    }
    await trx.deleteFrom('team_members').where('team_id', '=', teamId).execute();
    const rows = ids.map((user_id) => ({
      team_id: teamId,
      user_id,
      is_lead: input.members?.some((m) => m.userId === user_id && m.isLead) ?? false,
    }));
    if (rows.length) await trx.insertInto('team_members').values(rows).execute();
  }
  if (input.holidays) {
    await trx.deleteFrom('team_holidays').where('team_id', '=', teamId).execute();
    const unique = new Map(input.holidays.map((h) => [h.date, h.name]));
    if (unique.size)
      await trx
        .insertInto('team_holidays')
        .values([...unique].map(([date, name]) => ({ team_id: teamId, date, name })))
        .execute();
  }
  if (input.overflow?.teamId) {
    if (input.overflow.teamId === teamId)
      throw new AppError('validation_failed', 'overflow.teamId: a team cannot overflow to itself', [
        { path: 'overflow.teamId', message: 'a team cannot overflow to itself' },
      ]);
    const t = await trx.selectFrom('teams').select('id').where('id', '=', input.overflow.teamId).executeTakeFirst();
    if (!t)
      throw new AppError('validation_failed', 'overflow.teamId: unknown team', [
        { path: 'overflow.teamId', message: 'unknown team' },
      ]);
  }
}

const columns = (input: TeamUpdate) => ({
  ...(input.name !== undefined ? { name: input.name } : {}),
  ...(input.timeZone !== undefined ? { time_zone: input.timeZone } : {}),
  ...(input.businessHours !== undefined ? { business_hours: JSON.stringify(input.businessHours) } : {}),
  ...(input.overflow?.afterMinutes !== undefined ? { overflow_after_minutes: input.overflow.afterMinutes } : {}),
  ...(input.overflow?.teamId !== undefined ? { overflow_team_id: input.overflow.teamId } : {}),
  ...(input.overflow?.relaxSkills !== undefined ? { overflow_relax_skills: input.overflow.relaxSkills } : {}),
});

const nameTaken = (err: unknown) => /unique|duplicate/i.test(String((err as Error).message));

export type CreateTeamProps = { actor: Actor; input: TeamCreate };

export async function createTeam(db: Db, { actor, input }: CreateTeamProps): Promise<Team> {
  return db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('teams').select('id').where('name', '=', input.name).executeTakeFirst();
    if (taken) throw new AppError('conflict', `a team named "${input.name}" exists`);
    const row = await trx
      .insertInto('teams')
      .values({ name: input.name, ...columns(input) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeParts(trx, row.id, input);
    const team = await getTeam(trx, row.id);
    await recordAudit(trx, { actor, action: 'team.created', entityType: 'team', entityId: row.id, after: team });
    await emit(trx, 'routing.settings_changed', { what: 'team', id: row.id });
    return team;
  });
}

export type UpdateTeamProps = { actor: Actor; id: string; input: TeamUpdate };

export async function updateTeam(db: Db, { actor, id, input }: UpdateTeamProps): Promise<Team> {
  return db
    .transaction()
    .execute(async (trx) => {
      const before = await getTeam(trx, id);
      const set = columns(input);
      if (Object.keys(set).length) await trx.updateTable('teams').set(set).where('id', '=', id).execute();
      await writeParts(trx, id, input);
      const after = await getTeam(trx, id);
      await recordAudit(trx, { actor, action: 'team.updated', entityType: 'team', entityId: id, before, after });
      await emit(trx, 'routing.settings_changed', { what: 'team', id });
      return after;
    })
    .catch((err) => {
      if (nameTaken(err)) throw new AppError('conflict', `a team named "${input.name}" exists`);
      throw err;
    });
}

export type DeleteTeamProps = { actor: Actor; id: string };

export async function deleteTeam(db: Db, { actor, id }: DeleteTeamProps): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await getTeam(trx, id);
    await trx.deleteFrom('teams').where('id', '=', id).execute();
    await recordAudit(trx, { actor, action: 'team.deleted', entityType: 'team', entityId: id, before });
  });
}

/** Every team's calendar, read on each classification and SLA start: cached, dropped by a team change. */
export function loadCalendars(db: Db): Promise<Map<string, Calendar>> {
  return cached(db, 'calendars', () => readCalendars(db));
}

async function readCalendars(db: Db): Promise<Map<string, Calendar>> {
  const teams = await db.selectFrom('teams').select(['id', 'time_zone', 'business_hours']).execute();
  const holidays = await db.selectFrom('team_holidays').select(['team_id', isoDate]).execute();
  return new Map(
    teams.map((t) => [
      t.id,
      {
        timeZone: t.time_zone,
        hours: t.business_hours,
        holidays: holidays.filter((h) => h.team_id === t.id).map((h) => h.date),
      },
    ]),
  );
}
