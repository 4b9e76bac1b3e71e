import { DEFAULT_RETENTION, RetentionPolicy } from '@autocrm/shared';
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
