import { AppError, type Role } from '@autocrm/shared';
import type { UserRow } from '../../../../db/types';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';
import { avatarUrlOf } from './avatar';
import { hashPassword, verifyPassword } from './passwords';

export const presentUser = (u: UserRow) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  active: u.active,
  createdAt: u.created_at.toISOString(),
  twoFactorEnabled: !!u.totp_secret,
  avatarUrl: avatarUrlOf(u),
});

export async function listUsers(db: Db) {
  return (await db.selectFrom('users').selectAll().orderBy('name').execute()).map(presentUser);
}

export type CreateUserProps = { actor: Actor; input: { email: string; name: string; role: Role; password: string } };

export async function createUser(db: Db, { actor, input }: CreateUserProps) {
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const exists = await trx.selectFrom('users').select('id').where('email', '=', input.email).executeTakeFirst();
    if (exists)
      throw new AppError('conflict', 'email: a user with this email exists', [{ path: 'email', message: 'already exists' }]);
    const row = await trx
      .insertInto('users')
      .values({ email: input.email, name: input.name, role: input.role, password_hash: passwordHash })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actor, action: 'user.created', entityType: 'user', entityId: row.id, after: presentUser(row) });
    return presentUser(row);
  });
}

export type UpdateUserProps = {
  actor: Actor;
  id: string;
  input: { name?: string | undefined; role?: Role | undefined; active?: boolean | undefined };
};

/** Deactivating a user ends their sessions at once. */
export async function updateUser(db: Db, { actor, id, input }: UpdateUserProps) {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('users').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw new AppError('not_found', 'user not found');
    const demotesLastAdmin = before.role === 'admin' && ((input.role && input.role !== 'admin') || input.active === false);
    if (demotesLastAdmin) {
      const admins = await trx.selectFrom('users').select('id').where('role', '=', 'admin').where('active', '=', true).execute();
      if (admins.length <= 1) throw new AppError('conflict', 'the last active admin cannot be demoted or deactivated');
    }
    const row = await trx
      .updateTable('users')
      .set({
        ...(input.name ? { name: input.name } : {}),
        ...(input.role ? { role: input.role } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (input.active === false) await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
    await recordAudit(trx, {
      actor,
      action: 'user.updated',
      entityType: 'user',
      entityId: id,
      before: presentUser(before),
      after: presentUser(row),
    });
    return presentUser(row);
  });
}

/** Changes a password and ends every other session of that user. */
export async function changePassword(
  db: Db,
  props: { userId: string; currentSessionId: string; currentPassword: string; newPassword: string },
) {
  const user = await db.selectFrom('users').selectAll().where('id', '=', props.userId).executeTakeFirst();
  if (!user) throw new AppError('not_found', 'user not found');
  if (!(await verifyPassword(user.password_hash, props.currentPassword))) {
    throw new AppError('validation_failed', 'currentPassword: does not match', [
      { path: 'currentPassword', message: 'does not match' },
    ]);
  }
  const passwordHash = await hashPassword(props.newPassword);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, updated_at: new Date() })
      .where('id', '=', user.id)
      .execute();
    await trx.deleteFrom('sessions').where('user_id', '=', user.id).where('id', '<>', props.currentSessionId).execute();
    await recordAudit(trx, {
      actor: { kind: 'user', id: user.id, role: user.role, name: user.name },
      action: 'user.password_changed',
      entityType: 'user',
      entityId: user.id,
    });
  });
}

export type ResetPasswordProps = { actor: Actor; userId: string; newPassword: string };

/**
 * Sets a user's password without the current one (the admin CLI, for a locked-out admin) and ends all
 * their sessions, so whoever knew the old password is signed out everywhere.
 */
export async function resetPassword(db: Db, { actor, ...props }: ResetPasswordProps) {
  const passwordHash = await hashPassword(props.newPassword);
  await db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, updated_at: new Date() })
      .where('id', '=', props.userId)
      .executeTakeFirst();
    if (!Number(r.numUpdatedRows)) throw new AppError('not_found', 'user not found');
    await trx.deleteFrom('sessions').where('user_id', '=', props.userId).execute();
    await recordAudit(trx, { actor, action: 'user.password_reset', entityType: 'user', entityId: props.userId });
  });
}

export async function findUserByEmail(db: Db, email: string) {
  const row = await db.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  return row ? presentUser(row) : undefined;
}
