import {
  ErrorResponse,
  InvitationAccept,
  InvitationPreview,
  PasswordResetComplete,
  PasswordResetRequest,
  SignInResult,
} from '@autocrm/shared';
import { z } from 'zod';
import { acceptInvitation, previewInvitation } from '../../domain/auth/invitations';
import { completePasswordReset, requestPasswordReset } from '../../domain/auth/password-reset';
import { clientAddress } from '../client-address';
import type { App, AppDeps } from '../context';
import { json, jsonBody, publicRoute } from '../openapi';
import { signInHelpers } from '../sign-in-response';

const tags = ['Auth'];
const EXPIRED = json(ErrorResponse, 'The link has expired (`link_expired`)');

/** The public ends of mailed links: accepting an invitation, and the forgotten-password flow. */
export function accountLinkRoutes(app: App, deps: AppDeps) {
  const { db, config } = deps;
  const { passwordSignIn } = signInHelpers(deps);
  app.openapi(
    publicRoute({
      method: 'get',
      path: '/auth/invitations/{token}',
      operationId: 'previewInvitation',
      tags,
      security: [],
      summary: 'Who is invited, by whom, as what (for the accept page)',
      description: 'Answers `link_invalid` (404) for a used, replaced or revoked link and `link_expired` (410) after expiry.',
      request: { params: z.object({ token: z.string().min(20).max(200) }) },
      responses: { 200: json(InvitationPreview, 'The invitation'), 410: EXPIRED },
    }),
    async (c) => c.json(await previewInvitation(db, c.req.valid('param').token), 200),
  );
  app.openapi(
    publicRoute({
      method: 'post',
      path: '/auth/invitations/accept',
      operationId: 'acceptInvitation',
      tags,
      security: [],
      summary: 'Accept an invitation: set name and password, and sign in',
      description:
        'Creates the user with the invited role and inboxes; the link is used up. When the role requires two-factor sign-in, the answer is the enrolment challenge instead of a session.',
      request: { body: jsonBody(InvitationAccept) },
      responses: { 200: json(SignInResult, 'Signed in (or enrolment owed)'), 410: EXPIRED },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const user = await acceptInvitation(db, input);
      // The same path as a password sign-in, so a role that requires two-factor gets its enrolment step.
      return c.json(await passwordSignIn(c, { email: user.email, password: input.password }), 200);
    },
  );
  app.openapi(
    publicRoute({
      method: 'post',
      path: '/auth/password-reset',
      operationId: 'requestPasswordReset',
      tags,
      security: [],
      summary: 'Forgot password: mail a link to set a new one',
      description:
        'Always answers 202 the same way, whether or not the address has an account (no enumeration); an active user gets a mail with a single-use link. Rate-limited per client address and per email address.',
      request: { body: jsonBody(PasswordResetRequest) },
      responses: { 202: { description: 'If the address has an account, a mail is on its way' } },
    }),
    async (c) => {
      const { email } = c.req.valid('json');
      await deps.rateLimits.passwordResets.spend(`ip:${clientAddress(c, config.TRUST_PROXY)}`);
      await deps.rateLimits.passwordResets.spend(`email:${email}`);
      await requestPasswordReset(db, email);
      return c.body(null, 202);
    },
  );
  app.openapi(
    publicRoute({
      method: 'post',
      path: '/auth/password-reset/complete',
      operationId: 'completePasswordReset',
      tags,
      security: [],
      summary: 'Set a new password from the mailed link',
      description:
        'The link works once. Every session of the user ends (sign in again with the new password). `link_invalid` (404) for a used or replaced link, `link_expired` (410) after expiry.',
      request: { body: jsonBody(PasswordResetComplete) },
      responses: { 204: { description: 'Password set' }, 410: EXPIRED },
    }),
    async (c) => {
      const { userId } = await completePasswordReset(db, c.req.valid('json'));
      await deps.liveAccess?.changed({ kind: 'user', userId });
      return c.body(null, 204);
    },
  );
}
