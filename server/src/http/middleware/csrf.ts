import { timingSafeEqual } from 'node:crypto';
import { AppError } from '@autocrm/shared';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cookie-authenticated writes must carry the session's CSRF token in X-CSRF-Token (double submit
 * bound to the session). API-key requests carry no ambient credentials and need none.
 */
export const csrf = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  const session = c.get('session');
  // Signing in again while an old session cookie is still around needs no token from that session.
  if (session && !SAFE.has(c.req.method) && !c.req.path.endsWith('/auth/login')) {
    const sent = Buffer.from(c.req.header('x-csrf-token') ?? '');
    const expected = Buffer.from(session.csrfToken);
    if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
      throw new AppError('csrf_failed', 'missing or wrong X-CSRF-Token header');
    }
  }
  await next();
};
