import type { TagCreate, TagMerge, TagUpdate } from '@autocrm/shared';
import { AppError } from '@autocrm/shared';
import type { z } from 'zod';
import { emit } from '../../events/outbox';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';

// The workspace's tags as admins keep them (conversations carry them: conversations/tags.ts).

const presentTag = (t: { id: string; name: string; color: string | null }) => ({ id: t.id, name: t.name, color: t.color });

export async function listTags(db: Db) {
  const rows = await db
    .selectFrom('tags')
    .leftJoin('conversation_tags as ct', 'ct.tag_id', 'tags.id')
    .select(['tags.id', 'tags.name', 'tags.color', (eb) => eb.fn.count<string>('ct.conversation_id').as('uses')])
    .groupBy(['tags.id', 'tags.name', 'tags.color'])
    .orderBy('tags.name')
    .execute();
  return rows.map((t) => ({ ...presentTag(t), conversations: Number(t.uses) }));
}

export type UpdateTagProps = { actor: Actor; id: string; input: z.infer<typeof TagUpdate> };

/** Rename or recolour: conversations refer to the tag by id, so they carry the new name at once. */
export async function updateTag(db: Db, { actor, id, input }: UpdateTagProps) {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('tags').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw new AppError('not_found', 'tag not found');
    if (input.name && input.name !== before.name) {
      const clash = await trx.selectFrom('tags').select('id').where('name', '=', input.name).executeTakeFirst();
      if (clash)
        throw new AppError('conflict', 'name: a tag with this name exists (merge them instead)', [
          { path: 'name', message: 'already exists' },
        ]);
    }
    const row = await trx
      .updateTable('tags')
      .set({ ...(input.name ? { name: input.name } : {}), ...(input.color !== undefined ? { color: input.color } : {}) })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor,
      action: 'tag.updated',
      entityType: 'tag',
      entityId: id,
      before: presentTag(before),
      after: presentTag(row),
    });
    return presentTag(row);
  });
}

export type MergeTagProps = { actor: Actor; id: string; input: z.infer<typeof TagMerge> };

/** Folds one tag into another: every conversation with it gets the other (once), then it is deleted. */
export async function mergeTag(db: Db, { actor, id, input }: MergeTagProps) {
  if (id === input.into)
    throw new AppError('validation_failed', 'into: a tag cannot be merged into itself', [
      { path: 'into', message: 'must be another tag' },
    ]);
  return db.transaction().execute(async (trx) => {
    const from = await trx.selectFrom('tags').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    const into = await trx.selectFrom('tags').selectAll().where('id', '=', input.into).forUpdate().executeTakeFirst();
    if (!from) throw new AppError('not_found', 'tag not found');
    if (!into) throw new AppError('validation_failed', 'into: no such tag', [{ path: 'into', message: 'no such tag' }]);
    const moved = await trx
      .selectFrom('conversation_tags')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('tag_id', '=', id)
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('conversation_tags')
      .columns(['conversation_id', 'tag_id'])
      .expression((eb) =>
        eb
          .selectFrom('conversation_tags')
          .select(['conversation_id', eb.val(into.id).as('tag_id')])
          .where('tag_id', '=', id),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
    await trx.deleteFrom('tags').where('id', '=', id).execute();
    await recordAudit(trx, {
      actor,
      action: 'tag.merged',
      entityType: 'tag',
      entityId: id,
      before: presentTag(from),
      after: presentTag(into),
    });
    await emit(trx, 'tag.merged', {
      tag: presentTag(into),
      mergedTagId: from.id,
      mergedTagName: from.name,
      movedConversations: Number(moved.n),
    });
    return presentTag(into);
  });
}

export type CreateTagProps = { actor: Actor; input: z.infer<typeof TagCreate> };

export async function createTag(db: Db, { actor, input }: CreateTagProps) {
  return db.transaction().execute(async (trx) => {
    const exists = await trx.selectFrom('tags').select('id').where('name', '=', input.name).executeTakeFirst();
    if (exists)
      throw new AppError('conflict', 'name: a tag with this name exists', [{ path: 'name', message: 'already exists' }]);
    const row = await trx
      .insertInto('tags')
      .values({ name: input.name, color: input.color ?? null })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actor, action: 'tag.created', entityType: 'tag', entityId: row.id, after: presentTag(row) });
    return presentTag(row);
  });
}

export type DeleteTagProps = { actor: Actor; id: string };

export async function deleteTag(db: Db, { actor, id }: DeleteTagProps) {
  await db.transaction().execute(async (trx) => {
    const row = await trx.deleteFrom('tags').where('id', '=', id).returningAll().executeTakeFirst();
    if (!row) throw new AppError('not_found', 'tag not found');
    await recordAudit(trx, { actor, action: 'tag.deleted', entityType: 'tag', entityId: id, before: presentTag(row) });
  });
}
