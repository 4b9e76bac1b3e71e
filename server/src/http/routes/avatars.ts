import { AppError, Id, Profile } from '@autocrm/shared';
import type { Context } from 'hono';
import { z } from 'zod';
import { AVATAR_MAX_BYTES, openAvatar, removeAvatar, setAvatar } from '../../domain/auth/avatar';
import { getProfile } from '../../domain/auth/profile';
import { uploadStoreFor } from '../../storage/uploads/select-store';
import { actorOf } from '../actor-of';
import type { App, AppDeps, AppEnv } from '../context';
import { json, secured } from '../openapi';
import { readUploadedFile, UploadBody } from '../read-uploaded-file';

const me = ['Profile'];
const IdParam = z.object({ id: Id });

function userActor(c: Context<AppEnv>) {
  const actor = actorOf(c);
  if (actor?.kind !== 'user') throw new AppError('forbidden', 'only a signed-in person has a profile picture');
  return actor;
}

/** One's own profile picture (PNG, JPEG, GIF or WebP, 2 MB at most), and everyone's, for colleagues. */
export function avatarRoutes(app: App, { db, config }: AppDeps) {
  const store = uploadStoreFor(config);
  app.openapi(
    secured('user', {
      method: 'post',
      path: '/me/avatar',
      operationId: 'setMyAvatar',
      tags: me,
      summary: 'Upload your profile picture',
      description:
        'Multipart `file`: a PNG, JPEG, GIF or WebP image of 2 MB at most, checked by its bytes. Replaces the previous one.',
      request: { body: UploadBody },
      responses: { 200: json(Profile, 'Profile') },
    }),
    async (c) => {
      const actor = userActor(c);
      await setAvatar(db, store, { actor, file: await readUploadedFile(c, AVATAR_MAX_BYTES) });
      return c.json(await getProfile(db, actor.id), 200);
    },
  );
  app.openapi(
    secured('user', {
      method: 'delete',
      path: '/me/avatar',
      operationId: 'removeMyAvatar',
      tags: me,
      summary: 'Remove your profile picture (initials show again)',
      responses: { 200: json(Profile, 'Profile') },
    }),
    async (c) => {
      const actor = userActor(c);
      await removeAvatar(db, store, actor);
      return c.json(await getProfile(db, actor.id), 200);
    },
  );
  app.openapi(
    secured('user', {
      method: 'get',
      path: '/users/{id}/avatar',
      tags: ['Users'],
      summary: "A user's profile picture",
      description: 'The image, streamed; 404 when the user shows initials. Its address in `avatarUrl` changes with the picture.',
      request: { params: IdParam },
      responses: {
        200: {
          description: 'The image',
          content: { 'image/*': { schema: { type: 'string', format: 'binary' } } },
        },
      },
    }),
    async (c) => {
      const found = await openAvatar(db, store, c.req.valid('param').id);
      if (!found) throw new AppError('not_found', 'this user has no picture');
      return new Response(found.body, {
        headers: {
          'content-type': found.meta.contentType,
          ...(found.size ? { 'content-length': String(found.size) } : {}),
          // The address changes with the picture, so it may be kept; only by this signed-in browser.
          'cache-control': 'private, max-age=86400, immutable',
          'content-security-policy': "default-src 'none'; sandbox",
          'x-content-type-options': 'nosniff',
        },
      }) as never;
    },
  );
}
