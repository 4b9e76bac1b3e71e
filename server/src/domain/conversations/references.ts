import { AppError } from '@autocrm/shared';
import { cached } from '../../storage/cache/config-cache';
import type { Db } from '../../storage/db';

export async function resolveStatus(trx: Db, statusId: string | undefined) {
  const q = trx.selectFrom('statuses').select(['id', 'name', 'category']);
  // The default is read on every new conversation and changed only by an admin (audited): cached.
  const status = statusId
    ? await q.where('id', '=', statusId).executeTakeFirst()
    : await cached(trx, 'default-status', () => q.where('is_default', '=', true).executeTakeFirst());
  if (!status) {
    throw statusId
      ? new AppError('validation_failed', 'statusId: unknown status', [{ path: 'statusId', message: 'unknown status' }])
      : new AppError('conflict', 'no default status is configured');
  }
  return status;
}

export async function assertAssignable(trx: Db, userId: string): Promise<void> {
  const user = await trx.selectFrom('users').select(['id', 'active']).where('id', '=', userId).executeTakeFirst();
  if (!user?.active) {
    throw new AppError('validation_failed', 'assigneeId: unknown or inactive user', [
      { path: 'assigneeId', message: 'unknown or inactive user' },
    ]);
  }
}

export async function assertTeam(trx: Db, teamId: string): Promise<void> {
  const team = await trx.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst();
  if (!team) throw new AppError('validation_failed', 'teamId: unknown team', [{ path: 'teamId', message: 'unknown team' }]);
}
