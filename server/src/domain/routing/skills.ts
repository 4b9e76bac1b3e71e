import { AppError, type Skill, type SkillCreate } from '@autocrm/shared';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';

export async function listSkills(db: Db): Promise<Skill[]> {
  const rows = await db.selectFrom('skills').select(['id', 'name', 'kind', 'code']).orderBy('kind').orderBy('name').execute();
  return rows;
}

export type CreateSkillProps = { actor: Actor; input: SkillCreate };

export async function createSkill(db: Db, { actor, input }: CreateSkillProps): Promise<Skill> {
  return db.transaction().execute(async (trx) => {
    const kind = input.kind ?? (input.code ? 'language' : 'other');
    const code = kind === 'language' ? (input.code ?? null) : null;
    if (kind === 'language' && !code)
      throw new AppError('validation_failed', 'code: a language skill needs a language code', [
        { path: 'code', message: 'required for language skills' },
      ]);
    const clash = await trx
      .selectFrom('skills')
      .select('name')
      .where((eb) =>
        eb.or([eb('name', '=', input.name), ...(code ? [eb.and([eb('kind', '=', 'language'), eb('code', '=', code)])] : [])]),
      )
      .executeTakeFirst();
    if (clash) throw new AppError('conflict', `a skill named "${clash.name}" exists${code ? ` or has code ${code}` : ''}`);
    const row = await trx
      .insertInto('skills')
      .values({ name: input.name, kind, code })
      .returning(['id', 'name', 'kind', 'code'])
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actor, action: 'skill.created', entityType: 'skill', entityId: row.id, after: row });
    return row;
  });
}

export type DeleteSkillProps = { actor: Actor; id: string };

export async function deleteSkill(db: Db, { actor, id }: DeleteSkillProps): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx.deleteFrom('skills').where('id', '=', id).returning(['id', 'name']).executeTakeFirst();
    if (!row) throw new AppError('not_found', `skill ${id} not found`);
    await recordAudit(trx, { actor, action: 'skill.deleted', entityType: 'skill', entityId: id, before: row });
  });
}
