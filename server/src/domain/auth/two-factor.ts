import { AppError, type Role } from '@autocrm/shared';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';
import { verifyPassword } from './passwords';
import { consumeRecoveryCode, issueRecoveryCodes } from './recovery-codes';
import { twoFactorRequiredFor } from './security-settings';
import { type ClientInfo, type OpenedSession, openSession } from './sessions';
import { hashToken } from './tokens';
import { newTotpKey, totpStep } from './totp';

/** Wrong codes one sign-in challenge takes before it dies (the per-user budget limits across challenges). */
const CHALLENGE_ATTEMPTS = 5;

const userActor = (u: { id: string; role: Role; name: string }) =>
  ({ kind: 'user', id: u.id, role: u.role, name: u.name }) as const;

/** Hooks for the caller's rate limit: asked before a code is checked, told about every wrong one. */
export interface CodeLimiter {
  assertLeft(userId: string): Promise<void>;
  wrong(userId: string): Promise<void>;
}

/**
 * Accepts a TOTP code once: the step must be later than the last one accepted, and the update is
 * conditional so two requests with the same code cannot both pass.
 */
async function acceptTotp(db: Db, userId: string, secret: string, code: string): Promise<boolean> {
  const step = totpStep(secret, code);
  if (step === undefined) return false;
  const r = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', sql<string>`${step}`)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

async function liveChallenge(db: Db, challenge: string, purpose: 'verify' | 'enrol') {
  const row = await db
    .selectFrom('login_challenges as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .select([
      'c.id',
      'c.user_id',
      'c.purpose',
      'c.pending_secret',
      'c.attempts',
      'c.ip',
      'c.user_agent',
      'c.expires_at',
      'u.email',
      'u.name',
      'u.role',
      'u.active',
      'u.totp_secret',
    ])
    .where('c.id', '=', hashToken(challenge))
    .executeTakeFirst();
  if (
    !row ||
    row.purpose !== purpose ||
    !row.active ||
    row.expires_at.getTime() < Date.now() ||
    row.attempts >= CHALLENGE_ATTEMPTS
  )
    throw new AppError('challenge_invalid', 'this sign-in has expired; enter your password again');
  return row;
}

async function countWrong(db: Db, challengeId: string, userId: string, limiter: CodeLimiter): Promise<never> {
  await db
    .updateTable('login_challenges')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', challengeId)
    .execute();
  await limiter.wrong(userId);
  throw new AppError('invalid_code', 'the code is wrong or was used already');
}

/** The second sign-in step: a TOTP code or a recovery code turns the challenge into a session. */
export async function completeTwoFactorSignIn(
  db: Db,
  props: { challenge: string; code: string; client: ClientInfo; ttlHours: number; limiter: CodeLimiter },
): Promise<OpenedSession> {
  const ch = await liveChallenge(db, props.challenge, 'verify');
  await props.limiter.assertLeft(ch.user_id);
  const code = props.code.trim();
  let how: 'totp' | 'recovery_code' | undefined;
  if (ch.totp_secret && (await acceptTotp(db, ch.user_id, ch.totp_secret, code))) how = 'totp';
  else if (!/^\d{6}$/.test(code) && (await consumeRecoveryCode(db, { userId: ch.user_id, code }))) how = 'recovery_code';
  if (!how) return countWrong(db, ch.id, ch.user_id, props.limiter);
  return db.transaction().execute(async (trx) => {
    const gone = await trx.deleteFrom('login_challenges').where('id', '=', ch.id).executeTakeFirst();
    if (!Number(gone.numDeletedRows)) throw new AppError('challenge_invalid', 'this sign-in was completed already');
    if (how === 'recovery_code') {
      await recordAudit(trx, {
        actor: userActor(ch),
        action: 'user.recovery_code_used',
        entityType: 'user',
        entityId: ch.user_id,
      });
    }
    return openSession(trx, { userId: ch.user_id, client: props.client, ttlHours: props.ttlHours });
  });
}

/** Enrolment during sign-in (the role requires two-factor and the user has none yet): a new key. */
export async function startEnrolmentAtSignIn(db: Db, challenge: string) {
  const ch = await liveChallenge(db, challenge, 'enrol');
  const key = await newTotpKey(ch.email);
  await db.updateTable('login_challenges').set({ pending_secret: key.secret }).where('id', '=', ch.id).execute();
  return key;
}

/** Confirms the new key with a code: two-factor is on, the session opens, the recovery codes are shown once. */
export async function completeEnrolmentAtSignIn(
  db: Db,
  props: { challenge: string; code: string; client: ClientInfo; ttlHours: number; limiter: CodeLimiter },
): Promise<OpenedSession & { recoveryCodes: string[] }> {
  const ch = await liveChallenge(db, props.challenge, 'enrol');
  if (!ch.pending_secret) throw new AppError('conflict', 'start the enrolment first (POST /auth/login/enrol/start)');
  await props.limiter.assertLeft(ch.user_id);
  const step = totpStep(ch.pending_secret, props.code.trim());
  if (step === undefined) return countWrong(db, ch.id, ch.user_id, props.limiter);
  const secret = ch.pending_secret;
  return db.transaction().execute(async (trx) => {
    const gone = await trx.deleteFrom('login_challenges').where('id', '=', ch.id).executeTakeFirst();
    if (!Number(gone.numDeletedRows)) throw new AppError('challenge_invalid', 'this sign-in was completed already');
    const recoveryCodes = await enable(trx, userActor(ch), ch.user_id, secret, step);
    const session = await openSession(trx, { userId: ch.user_id, client: props.client, ttlHours: props.ttlHours });
    return { ...session, recoveryCodes };
  });
}

async function enable(trx: Db, actor: Actor, userId: string, secret: string, step: number) {
  await trx
    .updateTable('users')
    .set({
      totp_secret: secret,
      totp_pending_secret: null,
      totp_enabled_at: new Date(),
      totp_last_step: step,
      updated_at: new Date(),
    })
    .where('id', '=', userId)
    .execute();
  const codes = await issueRecoveryCodes(trx, userId);
  await recordAudit(trx, { actor, action: 'user.two_factor_enabled', entityType: 'user', entityId: userId });
  return codes;
}

/** Profile: a new key to add to the app; nothing changes until it is confirmed with a code. */
export async function startTotpSetup(db: Db, userId: string) {
  const user = await db.selectFrom('users').select(['email', 'totp_secret']).where('id', '=', userId).executeTakeFirstOrThrow();
  if (user.totp_secret) throw new AppError('conflict', 'two-factor sign-in is on already; turn it off first to change the key');
  const key = await newTotpKey(user.email);
  await db.updateTable('users').set({ totp_pending_secret: key.secret }).where('id', '=', userId).execute();
  return key;
}

export type ConfirmTotpSetupProps = { actor: Actor; userId: string; code: string; limiter: CodeLimiter };

export async function confirmTotpSetup(db: Db, { actor, ...props }: ConfirmTotpSetupProps) {
  await props.limiter.assertLeft(props.userId);
  const user = await db
    .selectFrom('users')
    .select(['totp_pending_secret', 'totp_secret'])
    .where('id', '=', props.userId)
    .executeTakeFirstOrThrow();
  if (user.totp_secret) throw new AppError('conflict', 'two-factor sign-in is on already');
  if (!user.totp_pending_secret) throw new AppError('conflict', 'start the setup first (POST /me/two-factor/setup)');
  const step = totpStep(user.totp_pending_secret, props.code.trim());
  if (step === undefined) {
    await props.limiter.wrong(props.userId);
    throw new AppError('invalid_code', 'the code is wrong; check the time on your phone');
  }
  const secret = user.totp_pending_secret;
  return db.transaction().execute((trx) => enable(trx, actor, props.userId, secret, step));
}

async function checkPassword(db: Db, userId: string, password: string, limiter: CodeLimiter) {
  await limiter.assertLeft(userId);
  const user = await db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, password))) {
    await limiter.wrong(userId);
    throw new AppError('validation_failed', 'password: does not match', [{ path: 'password', message: 'does not match' }]);
  }
}

export type DisableTwoFactorProps = { actor: Extract<Actor, { kind: 'user' }>; password: string; limiter: CodeLimiter };

/** Turns two-factor off for oneself (password again), unless the workspace requires it for this role. */
export async function disableTwoFactor(db: Db, { actor, ...props }: DisableTwoFactorProps) {
  if (await twoFactorRequiredFor(db, actor.role))
    throw new AppError('two_factor_required', 'your workspace requires two-factor sign-in for your role');
  await checkPassword(db, actor.id, props.password, props.limiter);
  await db.transaction().execute(async (trx) => {
    await clear(trx, actor.id);
    await recordAudit(trx, { actor, action: 'user.two_factor_disabled', entityType: 'user', entityId: actor.id });
  });
}

export type RegenerateRecoveryCodesProps = { actor: Extract<Actor, { kind: 'user' }>; password: string; limiter: CodeLimiter };

/** New recovery codes (the old ones stop working), after the password again. */
export async function regenerateRecoveryCodes(db: Db, { actor, ...props }: RegenerateRecoveryCodesProps) {
  await checkPassword(db, actor.id, props.password, props.limiter);
  return db.transaction().execute(async (trx) => {
    const u = await trx.selectFrom('users').select('totp_secret').where('id', '=', actor.id).executeTakeFirstOrThrow();
    if (!u.totp_secret) throw new AppError('conflict', 'two-factor sign-in is off');
    const codes = await issueRecoveryCodes(trx, actor.id);
    await recordAudit(trx, { actor, action: 'user.recovery_codes_renewed', entityType: 'user', entityId: actor.id });
    return codes;
  });
}

async function clear(trx: Db, userId: string) {
  await trx
    .updateTable('users')
    .set({ totp_secret: null, totp_pending_secret: null, totp_enabled_at: null, totp_last_step: null, updated_at: new Date() })
    .where('id', '=', userId)
    .execute();
  await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await trx.deleteFrom('login_challenges').where('user_id', '=', userId).execute();
}

export type ResetTwoFactorProps = { actor: Actor; userId: string };

/**
 * An admin (or the CLI) removes a user's second factor, for a lost phone without recovery codes. Their
 * sessions end too: whoever holds the account now signs in again (and enrols again where required).
 */
export async function resetTwoFactor(db: Db, { actor, userId }: ResetTwoFactorProps) {
  await db.transaction().execute(async (trx) => {
    const u = await trx.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
    if (!u) throw new AppError('not_found', 'user not found');
    await clear(trx, userId);
    await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
    await recordAudit(trx, { actor, action: 'user.two_factor_reset', entityType: 'user', entityId: userId });
  });
}
