import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { userById } from '../domain/auth/find-users';
import { SESSION_COOKIE } from '../domain/auth/session-cookie';
import type { OpenedSession } from '../domain/auth/sessions';
import { presentUser } from '../domain/auth/users';
import { clientInfo } from './client-info';
import type { AppDeps, AppEnv } from './context';

/** What every route that completes a sign-in shares: who is calling, and the answer with the cookie set. */
export function signInHelpers(deps: AppDeps) {
  const { db, config } = deps;
  return {
    clientOf: (c: Context<AppEnv>) => clientInfo(c, config.TRUST_PROXY),
    async signedIn(c: Context<AppEnv>, session: OpenedSession, recoveryCodes?: string[]) {
      const secure = config.PUBLIC_URL?.startsWith('https:') || c.req.header('x-forwarded-proto') === 'https';
      setCookie(c, SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: 'Lax',
        secure,
        path: '/',
        maxAge: config.SESSION_TTL_HOURS * 3600,
      });
      const user = await userById(db, { userId: session.userId });
      return {
        status: 'signed_in' as const,
        user: presentUser(user),
        csrfToken: session.csrfToken,
        ...(recoveryCodes ? { recoveryCodes } : {}),
      };
    },
  };
}
