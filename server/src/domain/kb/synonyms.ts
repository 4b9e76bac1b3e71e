import { AppError, type KbSynonym, KbSynonymInput, notFound, validation } from '@autocrm/shared';
import type { Selectable } from 'kysely';
import type { KbSynonymsTable } from '../../../../db/types';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';

const present = (r: Selectable<KbSynonymsTable>): KbSynonym => ({
  id: r.id,
  locale: r.locale,
  term: r.term,
  synonyms: r.synonyms,
  updatedAt: r.updated_at.toISOString(),
});

const taken = (term: string) =>
  new AppError('conflict', `"${term}" already has synonyms in this language`, [{ path: 'term', message: 'is taken' }]);

/** Synonyms of one locale (or all), by locale and term. */
export async function listSynonyms(db: Db, locale?: string): Promise<KbSynonym[]> {
  let q = db.selectFrom('kb_synonyms').selectAll().orderBy('locale').orderBy('term');
  if (locale) q = q.where('locale', '=', locale);
  return (await q.execute()).map(present);
}

/** The term's own spelling is dropped from its synonyms, and repeats are dropped. */
const clean = (input: ReturnType<typeof KbSynonymInput.parse>) => ({
  ...input,
  synonyms: [...new Set(input.synonyms)].filter((s) => s !== input.term),
});

export type CreateSynonymProps = { actor: Actor; raw: KbSynonymInput };

export async function createSynonym(db: Db, { actor, raw }: CreateSynonymProps): Promise<KbSynonym> {
  const input = clean(KbSynonymInput.parse(raw));
  if (!input.synonyms.length) throw validation('synonyms', 'needs a synonym that differs from the term');
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('kb_synonyms')
      .values({ locale: input.locale, term: input.term, synonyms: input.synonyms })
      .onConflict((oc) => oc.columns(['locale', 'term']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw taken(input.term);
    await recordAudit(trx, { actor, action: 'kb_synonym.created', entityType: 'kb_synonym', entityId: row.id, after: input });
    return present(row);
  });
}

export type UpdateSynonymProps = { actor: Actor; id: string; raw: KbSynonymInput };

export async function updateSynonym(db: Db, { actor, id, raw }: UpdateSynonymProps): Promise<KbSynonym> {
  const input = clean(KbSynonymInput.parse(raw));
  if (!input.synonyms.length) throw validation('synonyms', 'needs a synonym that differs from the term');
  return db.transaction().execute(async (trx) => {
    const other = await trx
      .selectFrom('kb_synonyms')
      .select('id')
      .where('locale', '=', input.locale)
      .where('term', '=', input.term)
      .where('id', '!=', id)
      .executeTakeFirst();
    if (other) throw taken(input.term);
    const row = await trx
      .updateTable('kb_synonyms')
      .set({ locale: input.locale, term: input.term, synonyms: input.synonyms, updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound(`synonym ${id}`);
    await recordAudit(trx, { actor, action: 'kb_synonym.updated', entityType: 'kb_synonym', entityId: id, after: input });
    return present(row);
  });
}

export type DeleteSynonymProps = { actor: Actor; id: string };

export async function deleteSynonym(db: Db, { actor, id }: DeleteSynonymProps): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const r = await trx.deleteFrom('kb_synonyms').where('id', '=', id).returning(['locale', 'term']).executeTakeFirst();
    if (!r) throw notFound(`synonym ${id}`);
    await recordAudit(trx, { actor, action: 'kb_synonym.deleted', entityType: 'kb_synonym', entityId: id, before: r });
  });
}
