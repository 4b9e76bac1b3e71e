import { SYSTEM } from './domain/actor';
import { recordAudit } from './domain/audit/record-audit';
import { hashPassword } from './domain/auth/passwords';
import type { Db } from './storage/db';

export const DEFAULT_STATUSES = [
  { name: 'Open', category: 'open', position: 0, is_default: true },
  { name: 'Waiting on customer', category: 'pending', position: 10, is_default: false },
  { name: 'Resolved', category: 'resolved', position: 20, is_default: false },
  { name: 'Closed', category: 'closed', position: 30, is_default: false },
] as const;

/**
 * What every workspace needs before anyone signs in: the default statuses and, on a database with no
 * users, the first admin (from ADMIN_EMAIL / ADMIN_PASSWORD when given). Safe to run on every start
 * and from several processes at once.
 */
export async function bootstrapWorkspace(db: Db, admin?: { email: string; password: string; name?: string }) {
  const passwordHash = admin ? await hashPassword(admin.password) : undefined;
  return db.transaction().execute(async (trx) => {
    // One bootstrap at a time across processes.
    await trx
      .insertInto('settings')
      .values({ key: 'bootstrap', value: JSON.stringify({}), updated_at: new Date() })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    await trx.selectFrom('settings').select('key').where('key', '=', 'bootstrap').forUpdate().execute();

    const statuses = await trx.selectFrom('statuses').select('id').limit(1).execute();
    if (statuses.length === 0)
      await trx
        .insertInto('statuses')
        .values([...DEFAULT_STATUSES])
        .execute();

    const anyUser = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
    let createdAdmin: { id: string; email: string } | undefined;
    if (!anyUser && admin && passwordHash) {
      const row = await trx
        .insertInto('users')
        .values({ email: admin.email.toLowerCase(), name: admin.name ?? 'Admin', role: 'admin', password_hash: passwordHash })
        .returning(['id', 'email'])
        .executeTakeFirstOrThrow();
      await recordAudit(trx, {
        actor: SYSTEM,
        action: 'user.created',
        entityType: 'user',
        entityId: row.id,
        after: { email: row.email, role: 'admin' },
      });
      createdAdmin = row;
    }
    return { fresh: !anyUser, createdAdmin };
  });
}
