import { ChallengeRef, SignInResult, TotpSetup, TwoFactorStep } from '@autocrm/shared';
import type { CodeLimiter } from '../../domain/auth/two-factor';
import { completeEnrolmentAtSignIn, completeTwoFactorSignIn, startEnrolmentAtSignIn } from '../../domain/auth/two-factor';
import type { App, AppDeps } from '../context';
import { json, jsonBody, publicRoute } from '../openapi';
import { signInHelpers } from '../sign-in-response';

const tags = ['Auth'];

/** Wrong codes count per user in the shared rate limiter (Redis when present), across challenges. */
export const codeLimiter = (deps: AppDeps): CodeLimiter => ({
  assertLeft: (userId) => deps.rateLimits.totpChecks.assertLeft(userId),
  wrong: (userId) => deps.rateLimits.totpChecks.record(userId),
});

export function twoFactorSignInRoutes(app: App, deps: AppDeps) {
  const { db, config } = deps;
  const { clientOf, signedIn } = signInHelpers(deps);
  app.openapi(
    publicRoute({
      method: 'post',
      path: '/auth/login/two-factor',
      operationId: 'signInSecondStep',
      tags,
      security: [],
      summary: 'Second sign-in step: a code from the authenticator app or a recovery code',
      description:
        'Turns the challenge from `/auth/login` into a session. A code is accepted once; a recovery code is used up. Five wrong codes end the challenge, and wrong codes are rate-limited per user (`invalid_code`, `challenge_invalid`, `rate_limited`).',
      request: { body: jsonBody(TwoFactorStep) },
      responses: { 200: json(SignInResult, 'Signed in') },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const session = await completeTwoFactorSignIn(db, {
        challenge: input.challenge,
        code: input.code,
        client: clientOf(c),
        ttlHours: config.SESSION_TTL_HOURS,
        limiter: codeLimiter(deps),
      });
      return c.json(await signedIn(c, session), 200);
    },
  );
  app.openapi(
    publicRoute({
      method: 'post',
      path: '/auth/login/enrol/start',
      operationId: 'signInEnrolStart',
      tags,
      security: [],
      summary: 'Enrolment at sign-in: a new authenticator key',
      description:
        'When the workspace requires two-factor sign-in for the role and the user has none yet, `/auth/login` answers `two_factor_enrolment_required`; this returns the key (QR code and text) to add to an authenticator app.',
      request: { body: jsonBody(ChallengeRef) },
      responses: { 200: json(TotpSetup, 'The new key') },
    }),
    async (c) => c.json(await startEnrolmentAtSignIn(db, c.req.valid('json').challenge), 200),
  );
  app.openapi(
    publicRoute({
      method: 'post',
      path: '/auth/login/enrol',
      operationId: 'signInEnrolConfirm',
      tags,
      security: [],
      summary: 'Enrolment at sign-in: confirm with a code and sign in',
      description: 'Turns two-factor sign-in on and opens the session. The answer carries the recovery codes, shown this once.',
      request: { body: jsonBody(TwoFactorStep) },
      responses: { 200: json(SignInResult, 'Signed in, with recovery codes') },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const { recoveryCodes, ...session } = await completeEnrolmentAtSignIn(db, {
        challenge: input.challenge,
        code: input.code,
        client: clientOf(c),
        ttlHours: config.SESSION_TTL_HOURS,
        limiter: codeLimiter(deps),
      });
      return c.json(await signedIn(c, session, recoveryCodes), 200);
    },
  );
}
