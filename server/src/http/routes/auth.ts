import { AppError, LoginInput, PasswordChange, User } from '@autocrm/shared';
import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { SESSION_COOKIE } from '../../domain/auth/session-cookie';
import { login, logout } from '../../domain/auth/sessions';
import { changePassword, presentUser } from '../../domain/auth/users';
import { clientAddress } from '../client-address';
import type { App, AppDeps } from '../context';
import { json, jsonBody, publicRoute, secured } from '../openapi';

const SessionInfo = z.object({ user: User, csrfToken: z.string().meta({ description: 'Send as X-CSRF-Token on writes' }) });
const tags = ['Auth'];

export function authRoutes(app: App, deps: AppDeps) {
  const { db, config } = deps;
  app.openapi(
    publicRoute({
      method: 'post',
      path: '/auth/login',
      tags,
      summary: 'Sign in with email and password (sets the session cookie)',
      request: { body: jsonBody(LoginInput) },
      responses: { 200: json(SessionInfo, 'Signed in') },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const clientIp = clientAddress(c, config.TRUST_PROXY);
      const session = await login(db, {
        email: input.email,
        password: input.password,
        clientIp,
        limits: {
          maxAttempts: config.LOGIN_MAX_ATTEMPTS,
          windowSeconds: config.LOGIN_WINDOW_SECONDS,
          sessionTtlHours: config.SESSION_TTL_HOURS,
        },
      });
      const secure = config.PUBLIC_URL?.startsWith('https:') || c.req.header('x-forwarded-proto') === 'https';
      setCookie(c, SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: 'Lax',
        secure,
        path: '/',
        maxAge: config.SESSION_TTL_HOURS * 3600,
      });
      const user = await db.selectFrom('users').selectAll().where('id', '=', session.userId).executeTakeFirstOrThrow();
      return c.json({ user: presentUser(user), csrfToken: session.csrfToken }, 200);
    },
  );
  app.openapi(
    secured('user', {
      method: 'get',
      path: '/auth/session',
      tags,
      summary: 'The signed-in user and the CSRF token',
      responses: { 200: json(SessionInfo, 'Session') },
    }),
    async (c) => {
      const session = c.get('session');
      if (!session) throw new AppError('unauthenticated', 'sign in first');
      const user = await db.selectFrom('users').selectAll().where('id', '=', session.actor.id).executeTakeFirstOrThrow();
      return c.json({ user: presentUser(user), csrfToken: session.csrfToken }, 200);
    },
  );
  app.openapi(
    secured('user', {
      method: 'post',
      path: '/auth/logout',
      tags,
      summary: 'Sign out (ends this session)',
      responses: { 204: { description: 'Signed out' } },
    }),
    async (c) => {
      const session = c.get('session');
      if (session) {
        await logout(db, session.sessionId);
        await deps.liveAccess?.changed({ kind: 'session', sessionId: session.sessionId });
      }
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    },
  );
  app.openapi(
    secured('user', {
      method: 'post',
      path: '/auth/password',
      tags,
      summary: 'Change your password (ends your other sessions)',
      request: { body: jsonBody(PasswordChange) },
      responses: { 204: { description: 'Changed' } },
    }),
    async (c) => {
      const session = c.get('session');
      if (!session) throw new AppError('unauthenticated', 'sign in first');
      const input = c.req.valid('json');
      // Wrong current passwords are counted per user: a stolen session cannot guess the password.
      await deps.rateLimits.passwordChecks.assertLeft(session.actor.id);
      try {
        await changePassword(db, {
          userId: session.actor.id,
          currentSessionId: session.sessionId,
          currentPassword: input.currentPassword,
          newPassword: input.newPassword,
        });
      } catch (err) {
        if (err instanceof AppError && err.code === 'validation_failed')
          await deps.rateLimits.passwordChecks.record(session.actor.id);
        throw err;
      }
      await deps.liveAccess?.changed({ kind: 'user', userId: session.actor.id });
      return c.body(null, 204);
    },
  );
}
