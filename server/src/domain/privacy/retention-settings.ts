import { AppError, DEFAULT_RETENTION, InboxRetention, type InboxRetentionView, RetentionPolicy } from '@autocrm/shared';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';

/** The admins' retention policy (settings row `retention`); defaults keep everything but orphan uploads. */
export async function getRetentionPolicy(db: Db): Promise<RetentionPolicy> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'retention').executeTakeFirst();
  const parsed = RetentionPolicy.safeParse({ ...DEFAULT_RETENTION, ...((row?.value as object | undefined) ?? {}) });
  return parsed.success ? parsed.data : DEFAULT_RETENTION;
}

export type PutRetentionPolicyProps = { actor: Actor; value: RetentionPolicy };

export async function putRetentionPolicy(db: Db, { actor, value }: PutRetentionPolicyProps): Promise<RetentionPolicy> {
  return db.transaction().execute(async (trx) => {
    const before = await getRetentionPolicy(trx);
    const json = JSON.stringify(value);
    await trx
      .insertInto('settings')
      .values({ key: 'retention', value: json, updated_at: sql<Date>`now()` })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: sql<Date>`now()` }))
      .execute();
    await recordAudit(trx, {
      actor,
      action: 'retention.updated',
      entityType: 'settings',
      entityId: 'retention',
      before,
      after: value,
    });
    return value;
  });
}

/** What retention does in one inbox: the workspace policy with the inbox's overrides laid over it. */
export function effectiveRetention(policy: RetentionPolicy, overrides: InboxRetention): InboxRetentionView['effective'] {
  return {
    archiveAfterDays: overrides.archiveAfterDays !== undefined ? overrides.archiveAfterDays : (policy.archiveAfterDays ?? null),
    conversations: overrides.conversations ?? policy.conversations,
    attachmentsAfterDays:
      overrides.attachmentsAfterDays !== undefined ? overrides.attachmentsAfterDays : policy.attachmentsAfterDays,
  };
}

const overridesOf = (raw: unknown): InboxRetention => {
  const parsed = InboxRetention.safeParse(raw ?? {});
  return parsed.success ? parsed.data : {};
};

/** Every inbox with its overrides and the policy that applies there (the job walks this). */
export async function listInboxRetention(db: Db): Promise<InboxRetentionView[]> {
  const policy = await getRetentionPolicy(db);
  const rows = await db.selectFrom('inboxes').select(['id', 'retention']).orderBy('created_at').execute();
  return rows.map((r) => {
    const overrides = overridesOf(r.retention);
    return { inboxId: r.id, overrides, effective: effectiveRetention(policy, overrides) };
  });
}

export type GetInboxRetentionProps = { inboxId: string };

export async function getInboxRetention(db: Db, { inboxId }: GetInboxRetentionProps): Promise<InboxRetentionView> {
  const row = await db.selectFrom('inboxes').select(['id', 'retention']).where('id', '=', inboxId).executeTakeFirst();
  if (!row) throw new AppError('not_found', 'inbox not found');
  const overrides = overridesOf(row.retention);
  return { inboxId, overrides, effective: effectiveRetention(await getRetentionPolicy(db), overrides) };
}

export type PutInboxRetentionProps = { actor: Actor; inboxId: string; value: InboxRetention };

/** Replaces an inbox's overrides (`{}`: the workspace policy again). Audited. */
export async function putInboxRetention(db: Db, { actor, inboxId, value }: PutInboxRetentionProps): Promise<InboxRetentionView> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('inboxes')
      .select(['id', 'retention'])
      .where('id', '=', inboxId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new AppError('not_found', 'inbox not found');
    const empty = Object.keys(value).length === 0;
    await trx
      .updateTable('inboxes')
      .set({ retention: empty ? null : JSON.stringify(value) })
      .where('id', '=', inboxId)
      .execute();
    await recordAudit(trx, {
      actor,
      action: 'retention.inbox_updated',
      entityType: 'inbox',
      entityId: inboxId,
      before: overridesOf(row.retention),
      after: value,
    });
  });
  return getInboxRetention(db, { inboxId });
}
