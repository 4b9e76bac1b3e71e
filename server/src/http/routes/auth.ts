import { AppError, LoginInput, PasswordChange, SignInResult, User } from '@autocrm/shared';
import { deleteCookie } from 'hono/cookie';
import { z } from 'zod';
import { userById } from '../../domain/auth/find-users';
import { SESSION_COOKIE } from '../../domain/auth/session-cookie';
import { logout } from '../../domain/auth/sessions';
import { changePassword, presentUser } from '../../domain/auth/users';
import type { App, AppDeps } from '../context';
import { json, jsonBody, publicRoute, secured } from '../openapi';
import { signInHelpers } from '../sign-in-response';
import { accountLinkRoutes } from './account-links';
import { twoFactorSignInRoutes } from './two-factor-sign-in';

const SessionInfo = z.object({ user: User, csrfToken: z.string().meta({ description: 'Send as X-CSRF-Token on writes' }) });
const tags = ['Auth'];

export function authRoutes(app: App, deps: AppDeps) {
  const { db } = deps;
  const { passwordSignIn } = signInHelpers(deps);
  app.openapi(
    publicRoute({
      method: 'post',
      path: '/auth/login',
      operationId: 'signIn',
      tags,
      security: [],
      summary: 'Sign in with email and password (sets the session cookie)',
      description:
        'For a user with two-factor sign-in (or whose role must have it) no session is opened: the answer carries a challenge for `/auth/login/two-factor` (or the enrolment steps), good for 10 minutes.',
      request: { body: jsonBody(LoginInput) },
      responses: { 200: json(SignInResult, 'Signed in, or the second step that is still owed') },
    }),
    async (c) => {
      const input = c.req.valid('json');
      return c.json(await passwordSignIn(c, { email: input.email, password: input.password }), 200);
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
      const user = await userById(db, { userId: session.actor.id });
      return c.json({ user: presentUser(user), csrfToken: session.csrfToken }, 200);
    },
  );
  twoFactorSignInRoutes(app, deps);
  accountLinkRoutes(app, deps);
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
