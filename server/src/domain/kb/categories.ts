import { AppError, type KbCategory, KbCategoryInput, notFound } from '@autocrm/shared';
import type { Selectable } from 'kysely';
import type { KbCategoriesTable } from '../../../../db/types';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';

function present(r: Selectable<KbCategoriesTable>, articleCount?: number): KbCategory {
  return {
    id: r.id,
    slug: r.slug,
    position: r.position,
    translations: Object.fromEntries(
      Object.entries(r.translations).map(([locale, t]) => [locale, { name: t.name, description: t.description ?? null }]),
    ),
    ...(articleCount !== undefined ? { articleCount } : {}),
  };
}

/** Categories in display order; `publishedIn` counts only articles published in that locale (help center). */
export async function listCategories(db: Db, publishedIn?: string): Promise<KbCategory[]> {
  const rows = await db.selectFrom('kb_categories').selectAll().orderBy('position').orderBy('slug').execute();
  let counts = db
    .selectFrom('kb_articles as a')
    .select(['a.category_id', (eb) => eb.fn.count<number>('a.id').distinct().as('n')])
    .groupBy('a.category_id');
  if (publishedIn)
    counts = counts
      .innerJoin('kb_translations as t', 't.article_id', 'a.id')
      .where('t.status', '=', 'published')
      .where('t.locale', '=', publishedIn);
  const byCat = new Map((await counts.execute()).map((c) => [c.category_id, Number(c.n)]));
  return rows.map((r) => present(r, byCat.get(r.id) ?? 0));
}

export type CreateCategoryProps = { actor: Actor; raw: KbCategoryInput };

export async function createCategory(db: Db, { actor, raw }: CreateCategoryProps): Promise<KbCategory> {
  const input = KbCategoryInput.parse(raw);
  return db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('kb_categories').select('id').where('slug', '=', input.slug).executeTakeFirst();
    if (taken) throw new AppError('conflict', `slug ${input.slug} is taken`, [{ path: 'slug', message: 'is taken' }]);
    const row = await trx
      .insertInto('kb_categories')
      .values({
        slug: input.slug,
        position: input.position ?? 0,
        translations: JSON.stringify(input.translations),
        updated_at: new Date(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actor, action: 'kb_category.created', entityType: 'kb_category', entityId: row.id, after: input });
    return present(row);
  });
}

export type UpdateCategoryProps = { actor: Actor; id: string; raw: KbCategoryInput };

export async function updateCategory(db: Db, { actor, id, raw }: UpdateCategoryProps): Promise<KbCategory> {
  const input = KbCategoryInput.parse(raw);
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('kb_categories').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw notFound(`category ${id}`);
    const taken = await trx
      .selectFrom('kb_categories')
      .select('id')
      .where('slug', '=', input.slug)
      .where('id', '!=', id)
      .executeTakeFirst();
    if (taken) throw new AppError('conflict', `slug ${input.slug} is taken`, [{ path: 'slug', message: 'is taken' }]);
    const row = await trx
      .updateTable('kb_categories')
      .set({
        slug: input.slug,
        position: input.position ?? before.position,
        translations: JSON.stringify(input.translations),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actor, action: 'kb_category.updated', entityType: 'kb_category', entityId: id, after: input });
    return present(row);
  });
}

export type DeleteCategoryProps = { actor: Actor; id: string };

/** Its articles stay, uncategorized. */
export async function deleteCategory(db: Db, { actor, id }: DeleteCategoryProps): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const r = await trx.deleteFrom('kb_categories').where('id', '=', id).returning('slug').executeTakeFirst();
    if (!r) throw notFound(`category ${id}`);
    await recordAudit(trx, { actor, action: 'kb_category.deleted', entityType: 'kb_category', entityId: id, before: r });
  });
}
