import {
  AppError,
  Id,
  Invitation,
  InvitationCreate,
  PasswordConfirm,
  Profile,
  ProfileUpdate,
  RecoveryCodes,
  SecuritySettings,
  SecuritySettingsUpdate,
  SessionEntry,
  TotpCode,
  TotpSetup,
} from '@autocrm/shared';
import type { Context } from 'hono';
import { z } from 'zod';
import { createInvitation, listOpenInvitations, resendInvitation, revokeInvitation } from '../../domain/auth/invitations';
import { sendPasswordResetLink } from '../../domain/auth/password-reset';
import { endOtherSessions, endSession, getProfile, listSessions, updateProfile } from '../../domain/auth/profile';
import { getSecuritySettings, updateSecuritySettings } from '../../domain/auth/security-settings';
import {
  confirmTotpSetup,
  disableTwoFactor,
  regenerateRecoveryCodes,
  resetTwoFactor,
  startTotpSetup,
} from '../../domain/auth/two-factor';
import { actorOf } from '../actor-of';
import type { App, AppDeps, AppEnv } from '../context';
import { json, jsonBody, secured } from '../openapi';
import { codeLimiter } from './two-factor-sign-in';

const IdParam = z.object({ id: Id });
const me = ['Profile'];
const inv = ['Invitations'];

/** The signed-in person (profile routes are for people, not API keys). */
function sessionOf(c: Context<AppEnv>) {
  const session = c.get('session');
  if (!session) throw new AppError('unauthenticated', 'sign in first');
  return session;
}

export function accountRoutes(app: App, deps: AppDeps) {
  const { db } = deps;
  const passwordLimiter = {
    assertLeft: (id: string) => deps.rateLimits.passwordChecks.assertLeft(id),
    wrong: (id: string) => deps.rateLimits.passwordChecks.record(id),
  };

  app.openapi(
    secured('user', {
      method: 'get',
      path: '/me',
      operationId: 'getProfile',
      tags: me,
      summary: 'Your profile',
      description: 'Name, display name and initials, language, and the state of two-factor sign-in.',
      responses: { 200: json(Profile, 'Profile') },
    }),
    async (c) => c.json(await getProfile(db, sessionOf(c).actor.id), 200),
  );
  app.openapi(
    secured('user', {
      method: 'patch',
      path: '/me',
      operationId: 'updateProfile',
      tags: me,
      summary: 'Change your name, display name or language',
      description: 'The language is stored as your preference for the workspace (`null`: the browser decides).',
      request: { body: jsonBody(ProfileUpdate) },
      responses: { 200: json(Profile, 'Profile') },
    }),
    async (c) => c.json(await updateProfile(db, { actor: sessionOf(c).actor, input: c.req.valid('json') }), 200),
  );
  app.openapi(
    secured('user', {
      method: 'get',
      path: '/me/sessions',
      operationId: 'listMySessions',
      tags: me,
      summary: 'Where you are signed in',
      description: 'Each live session with its browser, address and last activity; this one first.',
      responses: { 200: json(z.object({ data: z.array(SessionEntry) }), 'Sessions') },
    }),
    async (c) => {
      const s = sessionOf(c);
      return c.json({ data: await listSessions(db, { userId: s.actor.id, currentSessionId: s.sessionId }) }, 200);
    },
  );
  app.openapi(
    secured('user', {
      method: 'delete',
      path: '/me/sessions/{id}',
      operationId: 'endMySession',
      tags: me,
      summary: 'Sign out one of your sessions',
      description: 'Takes effect at once, live connections included.',
      request: { params: z.object({ id: z.string().min(10).max(200) }) },
      responses: { 204: { description: 'Ended' } },
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      await endSession(db, { actor: sessionOf(c).actor, sessionId: id });
      await deps.liveAccess?.changed({ kind: 'session', sessionId: id });
      return c.body(null, 204);
    },
  );
  app.openapi(
    secured('user', {
      method: 'post',
      path: '/me/sessions/end-others',
      operationId: 'endMyOtherSessions',
      tags: me,
      summary: 'Sign out everywhere else',
      description: 'Ends every session of yours but this one.',
      responses: { 200: json(z.object({ ended: z.number().int() }), 'How many sessions ended') },
    }),
    async (c) => {
      const s = sessionOf(c);
      const ended = await endOtherSessions(db, { actor: s.actor, currentSessionId: s.sessionId });
      if (ended.length) await deps.liveAccess?.changed(...ended.map((sessionId) => ({ kind: 'session' as const, sessionId })));
      return c.json({ ended: ended.length }, 200);
    },
  );
  app.openapi(
    secured('user', {
      method: 'post',
      path: '/me/two-factor/setup',
      operationId: 'startTwoFactorSetup',
      tags: me,
      summary: 'Start turning on two-factor sign-in: a new authenticator key',
      description: 'Nothing changes until the key is confirmed with a code (`/me/two-factor/confirm`).',
      responses: { 200: json(TotpSetup, 'The new key') },
    }),
    async (c) => c.json(await startTotpSetup(db, sessionOf(c).actor.id), 200),
  );
  app.openapi(
    secured('user', {
      method: 'post',
      path: '/me/two-factor/confirm',
      operationId: 'confirmTwoFactorSetup',
      tags: me,
      summary: 'Turn on two-factor sign-in with a code from the app',
      description: 'Answers with ten recovery codes, shown this once and stored hashed. Wrong codes are rate-limited.',
      request: { body: jsonBody(TotpCode) },
      responses: { 200: json(RecoveryCodes, 'Recovery codes') },
    }),
    async (c) => {
      const s = sessionOf(c);
      const recoveryCodes = await confirmTotpSetup(db, {
        actor: s.actor,
        userId: s.actor.id,
        code: c.req.valid('json').code,
        limiter: codeLimiter(deps),
      });
      return c.json({ recoveryCodes }, 200);
    },
  );
  app.openapi(
    secured('user', {
      method: 'post',
      path: '/me/two-factor/recovery-codes',
      operationId: 'renewRecoveryCodes',
      tags: me,
      summary: 'New recovery codes (the old ones stop working)',
      description: 'Needs your password again.',
      request: { body: jsonBody(PasswordConfirm) },
      responses: { 200: json(RecoveryCodes, 'Recovery codes') },
    }),
    async (c) => {
      const recoveryCodes = await regenerateRecoveryCodes(db, {
        actor: sessionOf(c).actor,
        password: c.req.valid('json').password,
        limiter: passwordLimiter,
      });
      return c.json({ recoveryCodes }, 200);
    },
  );
  app.openapi(
    secured('user', {
      method: 'post',
      path: '/me/two-factor/disable',
      operationId: 'disableTwoFactor',
      tags: me,
      summary: 'Turn off two-factor sign-in',
      description: 'Needs your password again; refused with `two_factor_required` when the workspace requires it for your role.',
      request: { body: jsonBody(PasswordConfirm) },
      responses: { 204: { description: 'Off' } },
    }),
    async (c) => {
      await disableTwoFactor(db, { actor: sessionOf(c).actor, password: c.req.valid('json').password, limiter: passwordLimiter });
      return c.body(null, 204);
    },
  );

  app.openapi(
    secured('admin', {
      method: 'post',
      path: '/users/{id}/two-factor/reset',
      operationId: 'resetUserTwoFactor',
      tags: ['Users'],
      summary: "Remove a user's second factor (lost phone)",
      description: 'Their recovery codes and sessions end too; they sign in with the password (and enrol again where required).',
      request: { params: IdParam },
      responses: { 204: { description: 'Reset' } },
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      await resetTwoFactor(db, { actor: actorOf(c), userId: id });
      await deps.liveAccess?.changed({ kind: 'user', userId: id });
      return c.body(null, 204);
    },
  );
  app.openapi(
    secured('admin', {
      method: 'post',
      path: '/users/{id}/password-reset',
      operationId: 'sendUserPasswordReset',
      tags: ['Users'],
      summary: 'Mail a user a link to set a new password',
      description:
        'The same single-use link as "Forgot password", for `PASSWORD_RESET_TTL_MINUTES`; the admin never sees a password. Their sessions end when the new password is set. `409 conflict` for a deactivated user. Audited as `user.password_reset_sent`.',
      request: { params: IdParam },
      responses: { 202: json(z.object({ email: z.string() }), 'The mail is on its way (sent by the mail loop)') },
    }),
    async (c) => c.json(await sendPasswordResetLink(db, { actor: actorOf(c), userId: c.req.valid('param').id }), 202),
  );
  app.openapi(
    secured('admin', {
      method: 'get',
      path: '/security-settings',
      operationId: 'getSecuritySettings',
      tags: ['Users'],
      summary: 'Workspace sign-in rules',
      description: 'Which roles must sign in with a second factor.',
      responses: { 200: json(SecuritySettings, 'Settings') },
    }),
    async (c) => c.json(await getSecuritySettings(db), 200),
  );
  app.openapi(
    secured('admin', {
      method: 'put',
      path: '/security-settings',
      operationId: 'updateSecuritySettings',
      tags: ['Users'],
      summary: 'Require two-factor sign-in for roles',
      description: 'Users of a listed role without a second factor are asked to set one up at their next sign-in.',
      request: { body: jsonBody(SecuritySettingsUpdate) },
      responses: { 200: json(SecuritySettings, 'Settings') },
    }),
    async (c) => c.json(await updateSecuritySettings(db, { actor: actorOf(c), input: c.req.valid('json') }), 200),
  );

  app.openapi(
    secured('admin', {
      method: 'get',
      path: '/invitations',
      operationId: 'listInvitations',
      tags: inv,
      summary: 'Open invitations',
      description: 'Not yet accepted or revoked, expired ones included (to resend).',
      responses: { 200: json(z.object({ data: z.array(Invitation) }), 'Invitations') },
    }),
    async (c) => c.json({ data: await listOpenInvitations(db) }, 200),
  );
  app.openapi(
    secured('admin', {
      method: 'post',
      path: '/invitations',
      operationId: 'createInvitation',
      tags: inv,
      summary: 'Invite a person by email',
      description: `The mail (through SMTP_URL) holds a single-use link, good for INVITE_TTL_HOURS, to set a name and password.`,
      request: { body: jsonBody(InvitationCreate) },
      responses: { 201: json(Invitation, 'The invitation') },
    }),
    async (c) => {
      const created = await createInvitation(db, { actor: actorOf(c), input: c.req.valid('json') });
      return c.json(created, 201);
    },
  );
  app.openapi(
    secured('admin', {
      method: 'post',
      path: '/invitations/{id}/resend',
      operationId: 'resendInvitation',
      tags: inv,
      summary: 'Send the invitation again',
      description: 'With a new link and a new expiry; the earlier link stops working.',
      request: { params: IdParam },
      responses: { 200: json(Invitation, 'The invitation') },
    }),
    async (c) => {
      const row = await resendInvitation(db, { actor: actorOf(c), id: c.req.valid('param').id });
      return c.json(row, 200);
    },
  );
  app.openapi(
    secured('admin', {
      method: 'delete',
      path: '/invitations/{id}',
      operationId: 'revokeInvitation',
      tags: inv,
      summary: 'Revoke an invitation',
      description: 'Its link stops working at once.',
      request: { params: IdParam },
      responses: { 200: json(Invitation, 'The revoked invitation') },
    }),
    async (c) => c.json(await revokeInvitation(db, { actor: actorOf(c), id: c.req.valid('param').id }), 200),
  );
}
