import { AppError, type FieldIssue } from '@autocrm/shared';
import { cached } from '../../storage/cache/config-cache';
import type { Db } from '../../storage/db';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Why `value` does not fit a field of this type (and options), or undefined when it fits. */
export function checkCustomFieldValue(def: { type: string; options: string[] }, value: unknown): string | undefined {
  switch (def.type) {
    case 'text':
      return typeof value === 'string' ? undefined : 'must be text';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'date':
      return typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))
        ? undefined
        : 'must be a date (YYYY-MM-DD)';
    case 'single_select':
      return typeof value === 'string' && def.options.includes(value) ? undefined : `must be one of: ${def.options.join(', ')}`;
    case 'multi_select':
      return Array.isArray(value) && value.every((v) => typeof v === 'string' && def.options.includes(v))
        ? undefined
        : `must be a list of: ${def.options.join(', ')}`;
    default:
      return `has an unknown type ${def.type}`;
  }
}

export type ApplyCustomFieldChangesProps = {
  current: Record<string, unknown>;
  changes: Record<string, unknown>;
  /** `customer`: a portal customer's form: only customer-visible fields may be set or are required. */
  opts: { creating: boolean; customer?: boolean };
  /** Whose fields: a conversation's (default) or a contact's. */
  entity?: 'conversation' | 'contact';
};

/**
 * Merges `changes` into `current` after checking every value against its definition. Throws one
 * validation error naming every bad field; nothing is written by the caller when it throws.
 */
export async function applyCustomFieldChanges(
  db: Db,
  { current, changes, opts, entity = 'conversation' }: ApplyCustomFieldChangesProps,
): Promise<Record<string, unknown>> {
  // Read on every new conversation and changed only by an admin (audited): cached, every entity's at once.
  const all = await cached(db, 'custom-fields', () => db.selectFrom('custom_field_definitions').selectAll().execute());
  const defs = all.filter((d) => d.entity === entity && (!opts.customer || d.customer_visible));
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const issues: FieldIssue[] = [];
  const next = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    const def = byKey.get(key);
    const path = `customFields.${key}`;
    if (!def) {
      issues.push({ path, message: 'unknown custom field' });
      continue;
    }
    if (value === null) {
      if (def.required) issues.push({ path, message: 'is required and cannot be cleared' });
      else delete next[key];
      continue;
    }
    const problem = checkCustomFieldValue(def, value);
    if (problem) issues.push({ path, message: problem });
    else next[key] = Array.isArray(value) ? [...new Set(value)] : value;
  }
  if (opts.creating) {
    for (const def of defs) {
      if (def.required && next[def.key] === undefined) {
        issues.push({ path: `customFields.${def.key}`, message: 'is required' });
      }
    }
  }
  if (issues.length) {
    throw new AppError('validation_failed', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
  }
  return next;
}

/** Parses a `key:value` list filter into a JSON containment fragment, typed by the field's definition. */
export async function customFieldFilter(db: Db, filter: string): Promise<Record<string, unknown>> {
  const at = filter.indexOf(':');
  const key = filter.slice(0, at);
  const raw = filter.slice(at + 1);
  const def = await db
    .selectFrom('custom_field_definitions')
    .selectAll()
    .where('key', '=', key)
    .where('entity', '=', 'conversation')
    .executeTakeFirst();
  if (!def)
    throw new AppError('validation_failed', `customField: unknown custom field ${key}`, [
      { path: 'customField', message: 'unknown custom field' },
    ]);
  let value: unknown = raw;
  if (def.type === 'number') {
    value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value))
      throw new AppError('validation_failed', 'customField: value must be a number', [
        { path: 'customField', message: 'value must be a number' },
      ]);
  } else if (def.type === 'boolean') {
    if (raw !== 'true' && raw !== 'false')
      throw new AppError('validation_failed', 'customField: value must be true or false', [
        { path: 'customField', message: 'value must be true or false' },
      ]);
    value = raw === 'true';
  } else if (def.type === 'multi_select') {
    value = [raw];
  }
  return { [key]: value };
}
