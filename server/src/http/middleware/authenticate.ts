import { AppError } from '@autocrm/shared';
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { resolveApiKey } from '../../domain/auth/api-keys';
import { SESSION_COOKIE } from '../../domain/auth/session-cookie';
import { resolveSession } from '../../domain/auth/sessions';
import type { Db } from '../../storage/db';
import type { AppEnv } from '../context';

/**
 * Resolves who is calling: `Authorization: Bearer <api key>` or the session cookie. A key that is
 * presented but unknown or revoked is refused outright rather than treated as anonymous.
 */
export const authenticate =
  (db: Db): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const auth = c.req.header('authorization');
    if (auth) {
      const match = /^Bearer\s+(\S+)$/i.exec(auth);
      const actor = match?.[1] ? await resolveApiKey(db, match[1]) : undefined;
      if (!actor) throw new AppError('unauthenticated', 'the API key is invalid or revoked');
      c.set('actor', actor);
      return next();
    }
    const token = getCookie(c, SESSION_COOKIE);
    if (token) {
      const session = await resolveSession(db, token);
      if (session) {
        c.set('actor', session.actor);
        c.set('session', session);
      }
    }
    await next();
  };
