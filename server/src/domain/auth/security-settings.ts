import type { Role } from '@autocrm/shared';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';

const KEY = 'security';

export interface SecuritySettings {
  requireTwoFactorRoles: Role[];
}

export async function getSecuritySettings(db: Db): Promise<SecuritySettings> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
  const value = (row?.value ?? {}) as Partial<SecuritySettings>;
  return { requireTwoFactorRoles: value.requireTwoFactorRoles ?? [] };
}

export async function twoFactorRequiredFor(db: Db, role: Role): Promise<boolean> {
  return (await getSecuritySettings(db)).requireTwoFactorRoles.includes(role);
}

export type UpdateSecuritySettingsProps = { actor: Actor; input: SecuritySettings };

export async function updateSecuritySettings(db: Db, { actor, input }: UpdateSecuritySettingsProps): Promise<SecuritySettings> {
  const after = { requireTwoFactorRoles: [...new Set(input.requireTwoFactorRoles)] };
  return db.transaction().execute(async (trx) => {
    const before = await getSecuritySettings(trx);
    await trx
      .insertInto('settings')
      .values({ key: KEY, value: JSON.stringify(after), updated_at: new Date() })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(after), updated_at: new Date() }))
      .execute();
    await recordAudit(trx, { actor, action: 'security.updated', entityType: 'settings', entityId: KEY, before, after });
    return after;
  });
}
