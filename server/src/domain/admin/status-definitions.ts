import type { StatusCreate, StatusDelete, StatusUpdate } from '@autocrm/shared';
import { AppError, type StatusCategory } from '@autocrm/shared';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';

// The workspace's conversation statuses: each in one lifecycle category, one of them the default.

const presentStatus = (s: { id: string; name: string; category: StatusCategory; position: number; is_default: boolean }) => ({
  id: s.id,
  name: s.name,
  category: s.category,
  position: s.position,
  isDefault: s.is_default,
});

export async function listStatuses(db: Db) {
  return (await db.selectFrom('statuses').selectAll().orderBy('position').orderBy('name').execute()).map(presentStatus);
}

export type CreateStatusProps = { actor: Actor; input: z.infer<typeof StatusCreate> };

export async function createStatus(db: Db, { actor, input }: CreateStatusProps) {
  return db.transaction().execute(async (trx) => {
    const exists = await trx.selectFrom('statuses').select('id').where('name', '=', input.name).executeTakeFirst();
    if (exists)
      throw new AppError('conflict', 'name: a status with this name exists', [{ path: 'name', message: 'already exists' }]);
    const row = await trx
      .insertInto('statuses')
      .values({ name: input.name, category: input.category, position: input.position ?? 0 })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor,
      action: 'status.created',
      entityType: 'status',
      entityId: row.id,
      after: presentStatus(row),
    });
    return presentStatus(row);
  });
}

export type UpdateStatusProps = { actor: Actor; id: string; input: z.infer<typeof StatusUpdate> };

/** A status keeps its category (conversations are filed by it); rename, reorder, or make it the default. */
export async function updateStatus(db: Db, { actor, id, input }: UpdateStatusProps) {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('statuses').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw new AppError('not_found', 'status not found');
    if (input.name && input.name !== before.name) {
      const clash = await trx.selectFrom('statuses').select('id').where('name', '=', input.name).executeTakeFirst();
      if (clash)
        throw new AppError('conflict', 'name: a status with this name exists', [{ path: 'name', message: 'already exists' }]);
    }
    if (input.isDefault) {
      if (before.category !== 'open') {
        throw new AppError('validation_failed', 'isDefault: the default status must be in the open category', [
          { path: 'isDefault', message: 'the default status must be in the open category' },
        ]);
      }
      await trx.updateTable('statuses').set({ is_default: false }).where('is_default', '=', true).execute();
    }
    const row = await trx
      .updateTable('statuses')
      .set({
        ...(input.name ? { name: input.name } : {}),
        ...(input.position !== undefined ? { position: input.position } : {}),
        ...(input.isDefault ? { is_default: true } : {}),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor,
      action: 'status.updated',
      entityType: 'status',
      entityId: id,
      before: presentStatus(before),
      after: presentStatus(row),
    });
    return presentStatus(row);
  });
}

export type DeleteStatusProps = { actor: Actor; id: string; input: z.infer<typeof StatusDelete> };

/**
 * Deletes a status. Its conversations (and their status history, and macros or rules that set it) move
 * to the replacement, which must be another status of the same category so no conversation changes
 * lifecycle. The default status can go only when `newDefaultId` names an open status to take its place.
 */
export async function deleteStatus(db: Db, { actor, id, input }: DeleteStatusProps) {
  const invalid = (path: string, message: string) =>
    new AppError('validation_failed', `${path}: ${message}`, [{ path, message }]);
  if (input.replacementId === id) throw invalid('replacementId', 'must be another status');
  if (input.newDefaultId === id) throw invalid('newDefaultId', 'must be another status');
  return db.transaction().execute(async (trx) => {
    const all = await trx.selectFrom('statuses').selectAll().forUpdate().execute();
    const doomed = all.find((s) => s.id === id);
    if (!doomed) throw new AppError('not_found', 'status not found');
    const replacement = all.find((s) => s.id === input.replacementId);
    if (!replacement) throw invalid('replacementId', 'no such status');
    if (replacement.category !== doomed.category)
      throw invalid('replacementId', `must be in the same category (${doomed.category})`);
    let defaultId = all.find((s) => s.is_default)?.id ?? replacement.id;
    if (doomed.is_default) {
      if (!input.newDefaultId) throw invalid('newDefaultId', 'the default status needs a new default before it is deleted');
      const next = all.find((s) => s.id === input.newDefaultId);
      if (!next) throw invalid('newDefaultId', 'no such status');
      if (next.category !== 'open') throw invalid('newDefaultId', 'the default status must be in the open category');
      await trx.updateTable('statuses').set({ is_default: false }).where('id', '=', id).execute();
      await trx.updateTable('statuses').set({ is_default: true }).where('id', '=', next.id).execute();
      defaultId = next.id;
    }
    const moved = await trx
      .updateTable('conversations')
      .set({ status_id: replacement.id })
      .where('status_id', '=', id)
      .executeTakeFirst();
    await trx.updateTable('status_history').set({ to_status_id: replacement.id }).where('to_status_id', '=', id).execute();
    await trx.updateTable('status_history').set({ from_status_id: replacement.id }).where('from_status_id', '=', id).execute();
    // Macros and rules name statuses by id inside their JSON; a uuid is unique text, so replacing it is exact.
    for (const [table, column] of [
      ['macros', 'actions'],
      ['automation_rules', 'actions'],
      ['automation_rules', 'conditions'],
      ['routing_rules', 'actions'],
      ['routing_rules', 'conditions'],
    ] as const) {
      await sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = replace(${sql.ref(column)}::text, ${id}, ${replacement.id})::jsonb
        WHERE ${sql.ref(column)}::text LIKE ${`%${id}%`}`.execute(trx);
    }
    await trx.deleteFrom('statuses').where('id', '=', id).execute();
    const movedConversations = Number(moved.numUpdatedRows);
    await recordAudit(trx, {
      actor,
      action: 'status.deleted',
      entityType: 'status',
      entityId: id,
      before: presentStatus(doomed),
      after: { replacementId: replacement.id, defaultId, movedConversations },
    });
    return { movedConversations, replacementId: replacement.id, defaultId };
  });
}
