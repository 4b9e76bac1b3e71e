import { emit } from '../../events/outbox';
import { staleKeysOf } from '../../storage/cache/cache-keys';
import type { Db } from '../../storage/db';
import { type Actor, actorLabel } from '../actor';

export interface AuditProps {
  actor: Actor;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/** Records who changed what, in the same transaction as the change. */
export async function recordAudit(trx: Db, props: AuditProps): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      actor: actorLabel(props.actor),
      action: props.action,
      entity_type: props.entityType,
      entity_id: props.entityId,
      before: props.before === undefined ? null : JSON.stringify(redact(props.before)),
      after: props.after === undefined ? null : JSON.stringify(redact(props.after)),
    })
    .execute();
  // Cached configuration goes stale with the change, in every process, once it commits.
  const keys = staleKeysOf(props.entityType, props.entityId);
  if (keys.length) await emit(trx, 'cache.stale', { keys });
}

const SECRET_KEYS = new Set(['password', 'password_hash', 'passwordHash', 'key', 'key_hash', 'secret', 'token']);

// Audit entries are read by admins; secrets never enter them.
function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.has(k) ? '[redacted]' : redact(v)]));
  }
  return value;
}
