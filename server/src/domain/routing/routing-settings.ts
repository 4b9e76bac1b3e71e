import type { RoutingSettings } from '@autocrm/shared';
import { sql } from 'kysely';
import { emit } from '../../events/outbox';
import { cached } from '../../storage/cache/config-cache';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';

export const DEFAULT_ROUTING_SETTINGS: RoutingSettings = {
  rerouteOfflineAfterMinutes: 5,
  defaultCapacity: 5,
  defaultHandleMinutes: 10,
};

/** Read on every routing round and assignment: cached, dropped by the audited change (cache-keys.ts). */
export function getRoutingSettings(db: Db): Promise<RoutingSettings> {
  return cached(db, 'routing-settings', () => readRoutingSettings(db));
}

async function readRoutingSettings(db: Db): Promise<RoutingSettings> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'routing').executeTakeFirst();
  return { ...DEFAULT_ROUTING_SETTINGS, ...((row?.value as Partial<RoutingSettings> | undefined) ?? {}) };
}

export type PutRoutingSettingsProps = { actor: Actor; value: RoutingSettings };

export async function putRoutingSettings(db: Db, { actor, value }: PutRoutingSettingsProps): Promise<RoutingSettings> {
  return db.transaction().execute(async (trx) => {
    const before = await readRoutingSettings(trx);
    await trx
      .insertInto('settings')
      .values({ key: 'routing', value: JSON.stringify(value), updated_at: sql<Date>`now()` })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_at: sql<Date>`now()` }))
      .execute();
    await recordAudit(trx, {
      actor,
      action: 'routing.settings_updated',
      entityType: 'settings',
      entityId: 'routing',
      before,
      after: value,
    });
    await emit(trx, 'routing.settings_changed', { what: 'settings', id: null });
    return value;
  });
}
