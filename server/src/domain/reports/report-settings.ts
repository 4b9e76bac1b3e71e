import type { ReportSettings } from '@autocrm/shared';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';

const KEY = 'reports';

/** The workspace's report time zone: days, hours and weekdays in every report are counted in it. */
export async function reportTimeZone(db: Db): Promise<string> {
  return (await getReportSettings(db)).timeZone;
}

export async function getReportSettings(db: Db): Promise<ReportSettings> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
  return { timeZone: 'UTC', ...((row?.value as Partial<ReportSettings> | undefined) ?? {}) };
}

export async function putReportSettings(db: Db, props: { actor: Actor; settings: ReportSettings }): Promise<ReportSettings> {
  return db.transaction().execute(async (trx) => {
    const before = await getReportSettings(trx);
    const value = JSON.stringify(props.settings);
    await trx
      .insertInto('settings')
      .values({ key: KEY, value, updated_at: sql<Date>`now()` })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: sql<Date>`now()` }))
      .execute();
    await recordAudit(trx, {
      actor: props.actor,
      action: 'reports.settings_updated',
      entityType: 'settings',
      entityId: KEY,
      before,
      after: props.settings,
    });
    return props.settings;
  });
}
