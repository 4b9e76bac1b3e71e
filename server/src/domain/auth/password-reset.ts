import { AppError } from '@autocrm/shared';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';
import { queueAccountMail } from './account-mail';
import { hashPassword } from './passwords';
import { hashToken } from './tokens';

/**
 * "Forgot password": for an active user a link is mailed; for anyone else nothing happens. The caller
 * answers the same either way, and the mail goes out from the sender loop, so the answer never waits
 * for SMTP (only a small insert differs between the two cases).
 */
export async function requestPasswordReset(db: Db, email: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('users').select(['id', 'active']).where('email', '=', email).executeTakeFirst();
    if (!user?.active) return;
    const row = await trx.insertInto('password_resets').values({ user_id: user.id }).returning('id').executeTakeFirstOrThrow();
    await queueAccountMail(trx, { kind: 'password_reset', refId: row.id });
  });
}

/**
 * An admin sends someone the same single-use link as "Forgot password" (Settings → Users → Reset
 * password). The admin never chooses or sees the password: only the person with the mailbox can set it.
 * Their sessions stay until the new password is set, so a reset that was not needed locks nobody out.
 */
export async function sendPasswordResetLink(db: Db, props: { actor: Actor; userId: string }): Promise<{ email: string }> {
  return db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'email', 'active'])
      .where('id', '=', props.userId)
      .executeTakeFirst();
    if (!user) throw new AppError('not_found', 'user not found');
    if (!user.active)
      throw new AppError('conflict', `${user.email} is deactivated: activate them before resetting their password`);
    const row = await trx.insertInto('password_resets').values({ user_id: user.id }).returning('id').executeTakeFirstOrThrow();
    await queueAccountMail(trx, { kind: 'password_reset', refId: row.id });
    await recordAudit(trx, { actor: props.actor, action: 'user.password_reset_sent', entityType: 'user', entityId: user.id });
    return { email: user.email };
  });
}

/**
 * Sets the new password from a mailed link. The link works once; every reset link of that user and
 * every session ends (whoever knew the old password is out), and the sign-in failures are forgiven.
 */
export async function completePasswordReset(db: Db, props: { token: string; password: string }): Promise<{ userId: string }> {
  const passwordHash = await hashPassword(props.password);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('password_resets as r')
      .innerJoin('users as u', 'u.id', 'r.user_id')
      .select(['r.id', 'r.user_id', 'r.used_at', 'r.expires_at', 'u.email', 'u.name', 'u.role', 'u.active'])
      .where('r.token_hash', '=', hashToken(props.token))
      .forUpdate(['r'])
      .executeTakeFirst();
    if (!row || row.used_at || !row.active)
      throw new AppError('link_invalid', 'this password link is not valid (used already or replaced by a newer one)');
    if (!row.expires_at || row.expires_at.getTime() < Date.now())
      throw new AppError('link_expired', 'this password link has expired; ask for a new one');
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, updated_at: new Date() })
      .where('id', '=', row.user_id)
      .execute();
    await trx.updateTable('password_resets').set({ used_at: new Date(), token_hash: null }).where('id', '=', row.id).execute();
    await trx.deleteFrom('password_resets').where('user_id', '=', row.user_id).where('id', '<>', row.id).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', row.user_id).execute();
    await trx.deleteFrom('login_challenges').where('user_id', '=', row.user_id).execute();
    await trx.deleteFrom('login_attempts').where('key', '=', `email:${row.email}`).execute();
    await recordAudit(trx, {
      actor: { kind: 'user', id: row.user_id, role: row.role, name: row.name },
      action: 'user.password_reset_by_link',
      entityType: 'user',
      entityId: row.user_id,
    });
    return { userId: row.user_id };
  });
}
