import { AppError, type Priority, type SlaPolicy, type SlaPolicyInput } from '@autocrm/shared';
import type { Selectable } from 'kysely';
import type { SlaPoliciesTable } from '../../../../db/types';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';

export const presentPolicy = (r: Selectable<SlaPoliciesTable>): SlaPolicy => ({
  id: r.id,
  name: r.name,
  priority: r.priority,
  inboxId: r.inbox_id,
  tag: r.tag,
  firstResponseMinutes: r.first_response_minutes,
  nextResponseMinutes: r.next_response_minutes,
  resolutionMinutes: r.resolution_minutes,
  businessHours: r.business_hours,
  warningMinutes: r.warning_minutes,
  breachRaisePriority: r.breach_raise_priority,
  breachReassign: r.breach_reassign,
});

export async function listSlaPolicies(db: Db): Promise<SlaPolicy[]> {
  return (await db.selectFrom('sla_policies').selectAll().orderBy('priority').orderBy('created_at').execute()).map(presentPolicy);
}

const values = (i: SlaPolicyInput) => ({
  name: i.name,
  priority: i.priority,
  inbox_id: i.inboxId ?? null,
  tag: i.tag ?? null,
  first_response_minutes: i.firstResponseMinutes ?? null,
  next_response_minutes: i.nextResponseMinutes ?? null,
  resolution_minutes: i.resolutionMinutes ?? null,
  ...(i.businessHours !== undefined ? { business_hours: i.businessHours } : {}),
  ...(i.warningMinutes !== undefined ? { warning_minutes: i.warningMinutes } : {}),
  ...(i.breachRaisePriority !== undefined ? { breach_raise_priority: i.breachRaisePriority } : {}),
  ...(i.breachReassign !== undefined ? { breach_reassign: i.breachReassign } : {}),
});

async function check(trx: Db, i: SlaPolicyInput) {
  if (!i.firstResponseMinutes && !i.nextResponseMinutes && !i.resolutionMinutes)
    throw new AppError('validation_failed', 'a policy needs at least one target', [
      { path: 'firstResponseMinutes', message: 'set a first response, next response or resolution target' },
    ]);
  if (i.inboxId && !(await trx.selectFrom('inboxes').select('id').where('id', '=', i.inboxId).executeTakeFirst()))
    throw new AppError('validation_failed', 'inboxId: unknown inbox', [{ path: 'inboxId', message: 'unknown inbox' }]);
}

export type CreateSlaPolicyProps = { actor: Actor; input: SlaPolicyInput };

export async function createSlaPolicy(db: Db, { actor, input }: CreateSlaPolicyProps): Promise<SlaPolicy> {
  return db.transaction().execute(async (trx) => {
    await check(trx, input);
    const row = await trx.insertInto('sla_policies').values(values(input)).returningAll().executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor,
      action: 'sla_policy.created',
      entityType: 'sla_policy',
      entityId: row.id,
      after: presentPolicy(row),
    });
    return presentPolicy(row);
  });
}

export type UpdateSlaPolicyProps = { actor: Actor; id: string; input: SlaPolicyInput };

export async function updateSlaPolicy(db: Db, { actor, id, input }: UpdateSlaPolicyProps): Promise<SlaPolicy> {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('sla_policies').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw new AppError('not_found', `SLA policy ${id} not found`);
    await check(trx, input);
    const row = await trx
      .updateTable('sla_policies')
      .set(values(input))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor,
      action: 'sla_policy.updated',
      entityType: 'sla_policy',
      entityId: id,
      before: presentPolicy(before),
      after: presentPolicy(row),
    });
    return presentPolicy(row);
  });
}

export type DeleteSlaPolicyProps = { actor: Actor; id: string };

export async function deleteSlaPolicy(db: Db, { actor, id }: DeleteSlaPolicyProps): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx.deleteFrom('sla_policies').where('id', '=', id).returningAll().executeTakeFirst();
    if (!row) throw new AppError('not_found', `SLA policy ${id} not found`);
    await recordAudit(trx, {
      actor,
      action: 'sla_policy.deleted',
      entityType: 'sla_policy',
      entityId: id,
      before: presentPolicy(row),
    });
  });
}

/** The most specific policy for a conversation: inbox and tag beat tag, tag beats inbox, inbox beats neither. */
export function choosePolicy(
  policies: readonly Selectable<SlaPoliciesTable>[],
  c: { priority: Priority; inboxId: string; tags: readonly string[] },
): Selectable<SlaPoliciesTable> | undefined {
  const fits = policies.filter(
    (p) => p.priority === c.priority && (!p.inbox_id || p.inbox_id === c.inboxId) && (!p.tag || c.tags.includes(p.tag)),
  );
  const score = (p: Selectable<SlaPoliciesTable>) => (p.tag ? 2 : 0) + (p.inbox_id ? 1 : 0);
  return fits.sort((a, b) => score(b) - score(a) || a.created_at.getTime() - b.created_at.getTime())[0];
}
