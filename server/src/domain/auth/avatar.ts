import { AppError } from '@autocrm/shared';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';
import { deleteUpload, openUpload, type StoredUpload, storeUploadStream, type UploadLocation } from '../widget/uploads';

/** Pictures only, sniffed like every upload (the bytes must be the image type they claim), 2 MB at most. */
export const AVATAR_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;

/** Where a user's picture is served; the upload's id in it changes the address when the picture does. */
export const avatarUrlOf = (u: { id: string; avatar_upload_id: string | null }) =>
  u.avatar_upload_id ? `/api/v1/users/${u.id}/avatar?v=${u.avatar_upload_id.slice(0, 12)}` : null;

export type SetAvatarProps = {
  actor: Extract<Actor, { kind: 'user' }>;
  file: { name: string; contentType: string; source: AsyncIterable<Uint8Array> };
};

/** Stores a new picture for the signed-in user and deletes the one it replaces. */
export async function setAvatar(db: Db, store: UploadLocation, { actor, file }: SetAvatarProps): Promise<void> {
  const stored: StoredUpload = await storeUploadStream(store, {
    ...file,
    owner: `user:${actor.id}`,
    types: AVATAR_TYPES,
    maxBytes: AVATAR_MAX_BYTES,
  });
  const previous = await replaceAvatar(db, actor, stored.id).catch(async (err) => {
    await deleteUpload(store, stored.id);
    throw err;
  });
  if (previous) await deleteUpload(store, previous);
}

/** Back to initials. */
export async function removeAvatar(db: Db, store: UploadLocation, actor: Extract<Actor, { kind: 'user' }>): Promise<void> {
  const previous = await replaceAvatar(db, actor, null);
  if (previous) await deleteUpload(store, previous);
}

async function replaceAvatar(db: Db, actor: Extract<Actor, { kind: 'user' }>, uploadId: string | null): Promise<string | null> {
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('users')
      .select('avatar_upload_id')
      .where('id', '=', actor.id)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new AppError('not_found', 'user not found');
    await trx
      .updateTable('users')
      .set({ avatar_upload_id: uploadId, updated_at: new Date() })
      .where('id', '=', actor.id)
      .execute();
    await recordAudit(trx, {
      actor,
      action: uploadId ? 'user.avatar_changed' : 'user.avatar_removed',
      entityType: 'user',
      entityId: actor.id,
    });
    return before.avatar_upload_id;
  });
}

/** A user's picture as a stream, for any signed-in colleague; undefined when there is none. */
export async function openAvatar(db: Db, store: UploadLocation, userId: string) {
  const u = await db.selectFrom('users').select('avatar_upload_id').where('id', '=', userId).executeTakeFirst();
  return u?.avatar_upload_id ? openUpload(store, u.avatar_upload_id) : undefined;
}
