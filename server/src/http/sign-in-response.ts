import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { userById } from '../domain/auth/find-users';
import { SESSION_COOKIE } from '../domain/auth/session-cookie';
import { login, type OpenedSession } from '../domain/auth/sessions';
import { presentUser } from '../domain/auth/users';
import { clientInfo } from './client-info';
import type { AppDeps, AppEnv } from './context';

/** What every route that completes a sign-in shares: who is calling, and the answer with the cookie set. */
export function signInHelpers(deps: AppDeps) {
  const { db, config } = deps;
  const clientOf = (c: Context<AppEnv>) => clientInfo(c, config.TRUST_PROXY);
  const signedIn = async (c: Context<AppEnv>, session: OpenedSession, recoveryCodes?: string[]) => {
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
  };
  return {
    clientOf,
    signedIn,
    /** A password step (sign-in, or an accepted invitation): signed in, or the second step still owed. */
    async passwordSignIn(c: Context<AppEnv>, props: { email: string; password: string }) {
      const result = await login(db, {
        email: props.email,
        password: props.password,
        client: clientOf(c),
        limits: {
          maxAttempts: config.LOGIN_MAX_ATTEMPTS,
          windowSeconds: config.LOGIN_WINDOW_SECONDS,
          sessionTtlHours: config.SESSION_TTL_HOURS,
        },
      });
      if (result.status !== 'signed_in') return { status: result.status, challenge: result.challenge };
      return signedIn(c, result);
    },
  };
}
