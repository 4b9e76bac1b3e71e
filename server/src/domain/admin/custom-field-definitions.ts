import type { CustomFieldCreate, CustomFieldUpdate } from '@autocrm/shared';
import { AppError } from '@autocrm/shared';
import type { z } from 'zod';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';

// The definitions of typed custom fields on conversations and contacts (values: conversations/custom-fields.ts).

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
