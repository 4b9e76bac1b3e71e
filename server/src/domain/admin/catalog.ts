import type {
  CustomFieldCreate,
  CustomFieldUpdate,
  StatusCreate,
  StatusDelete,
  StatusUpdate,
  TagCreate,
  TagMerge,
  TagUpdate,
} from '@autocrm/shared';
import { AppError, type StatusCategory } from '@autocrm/shared';
import { sql } from 'kysely';
import type { z } from 'zod';
import { emit } from '../../events/outbox';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';

// Workspace settings that shape tickets: tags, statuses and custom field definitions.

const presentTag = (t: { id: string; name: string; color: string | null }) => ({ id: t.id, name: t.name, color: t.color });
const presentStatus = (s: { id: string; name: string; category: StatusCategory; position: number; is_default: boolean }) => ({
  id: s.id,
  name: s.name,
  category: s.category,
  position: s.position,
  isDefault: s.is_default,
});
const presentField = (f: {
  id: string;
  key: string;
  label: string;
  type: z.infer<typeof CustomFieldCreate>['type'];
  options: string[];
  required: boolean;
  customer_visible: boolean;
  created_at: Date;
  entity: 'conversation' | 'contact';
}) => ({
  id: f.id,
  key: f.key,
  label: f.label,
  type: f.type,
  options: f.options,
  required: f.required,
  customerVisible: f.customer_visible,
  createdAt: f.created_at.toISOString(),
  entity: f.entity,
});

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

export type ListCustomFieldsProps = { entity?: 'conversation' | 'contact' | 'all' };

export async function listCustomFields(db: Db, { entity = 'conversation' }: ListCustomFieldsProps = {}) {
  let q = db.selectFrom('custom_field_definitions').selectAll();
  if (entity !== 'all') q = q.where('entity', '=', entity);
  return (await q.orderBy('key').execute()).map(presentField);
}

function checkOptions(type: string, options: string[] | undefined) {
  const selects = type === 'single_select' || type === 'multi_select';
  if (selects && (!options || options.length === 0)) {
    throw new AppError('validation_failed', 'options: a select field needs at least one option', [
      { path: 'options', message: 'a select field needs at least one option' },
    ]);
  }
  if (!selects && options && options.length > 0) {
    throw new AppError('validation_failed', `options: a ${type} field has no options`, [
      { path: 'options', message: `a ${type} field has no options` },
    ]);
  }
  if (options && new Set(options).size !== options.length) {
    throw new AppError('validation_failed', 'options: must be unique', [{ path: 'options', message: 'must be unique' }]);
  }
}

export type CreateCustomFieldProps = { actor: Actor; input: z.infer<typeof CustomFieldCreate> };

export async function createCustomField(db: Db, { actor, input }: CreateCustomFieldProps) {
  checkOptions(input.type, input.options);
  return db.transaction().execute(async (trx) => {
    const exists = await trx.selectFrom('custom_field_definitions').select('id').where('key', '=', input.key).executeTakeFirst();
    if (exists)
      throw new AppError('conflict', 'key: a custom field with this key exists', [{ path: 'key', message: 'already exists' }]);
    const row = await trx
      .insertInto('custom_field_definitions')
      .values({
        key: input.key,
        label: input.label,
        type: input.type,
        options: JSON.stringify(input.options ?? []),
        required: input.required ?? false,
        customer_visible: input.customerVisible ?? false,
        entity: input.entity ?? 'conversation',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor,
      action: 'custom_field.created',
      entityType: 'custom_field',
      entityId: row.id,
      after: presentField(row),
    });
    return presentField(row);
  });
}

export type UpdateCustomFieldProps = { actor: Actor; id: string; input: z.infer<typeof CustomFieldUpdate> };

/** Key and type are fixed once created (stored values depend on them); label, options and required may change. */
export async function updateCustomField(db: Db, { actor, id, input }: UpdateCustomFieldProps) {
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('custom_field_definitions')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new AppError('not_found', 'custom field not found');
    if (input.options) checkOptions(before.type, input.options);
    const row = await trx
      .updateTable('custom_field_definitions')
      .set({
        ...(input.label ? { label: input.label } : {}),
        ...(input.options ? { options: JSON.stringify(input.options) } : {}),
        ...(input.required !== undefined ? { required: input.required } : {}),
        ...(input.customerVisible !== undefined ? { customer_visible: input.customerVisible } : {}),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor,
      action: 'custom_field.updated',
      entityType: 'custom_field',
      entityId: id,
      before: presentField(before),
      after: presentField(row),
    });
    return presentField(row);
  });
}

export async function listInboxes(db: Db) {
  const rows = await db.selectFrom('inboxes').selectAll().orderBy('created_at').execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    channel: r.channel,
    websiteToken: r.website_token,
    createdAt: r.created_at.toISOString(),
  }));
}
