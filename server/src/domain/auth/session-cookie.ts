import { parse as parseCookie } from 'hono/utils/cookie';
import type { Db } from '../../storage/db';
import { resolveSession } from './sessions';

/** The one name of the session cookie: HTTP sets and reads it, sockets and collab read it on upgrade. */
export const SESSION_COOKIE = 'autocrm_session';

/** The signed-in session behind a raw `Cookie` header, for transports that get no parsed cookies. */
export async function sessionFromCookieHeader(db: Db, cookieHeader: string | undefined) {
  const token = parseCookie(cookieHeader ?? '', SESSION_COOKIE)[SESSION_COOKIE];
  return token ? resolveSession(db, token) : undefined;
}
