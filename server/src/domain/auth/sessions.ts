import { AppError } from '@autocrm/shared';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { hashPassword, verifyPassword } from './passwords';
import { twoFactorRequiredFor } from './security-settings';
import { hashToken, newToken } from './tokens';

export interface LoginLimits {
  maxAttempts: number;
  windowSeconds: number;
  sessionTtlHours: number;
}

// Verifying against a real hash when the email is unknown keeps response time from revealing accounts.
let dummyHash: Promise<string> | undefined;
const DUMMY = () => {
  dummyHash ??= hashPassword('not-a-real-password-0000');
  return dummyHash;
};

/** Where a session was opened from, shown on the profile's session list. */
export interface ClientInfo {
  ip: string;
  userAgent: string | undefined;
}

export interface OpenedSession {
  token: string;
  csrfToken: string;
  sessionId: string;
  userId: string;
}

/** The outcome of the password step: a session, or a second step (a code, or enrolment) still owed. */
export type PasswordStepResult =
  | ({ status: 'signed_in' } & OpenedSession)
  | { status: 'two_factor_required' | 'two_factor_enrolment_required'; challenge: string };

const CHALLENGE_TTL_MS = 10 * 60_000;

/**
 * Checks credentials and opens a session, or, for a user with two-factor sign-in (or one whose role
 * must have it), a short-lived challenge: the password alone never gives a session then. Failed
 * attempts are counted per email and per client address in the database, so the limit holds across
 * processes and restarts.
 */
export async function login(
  db: Db,
  props: { email: string; password: string; client: ClientInfo; limits: LoginLimits },
): Promise<PasswordStepResult> {
  const since = new Date(Date.now() - props.limits.windowSeconds * 1000);
  const keys = [`email:${props.email}`, `ip:${props.client.ip}`];
  // Record this attempt before counting, so parallel guesses see each other: at most maxAttempts of
  // them get to try the password. A refused or successful attempt removes its own rows again.
  const attemptIds = (
    await db
      .insertInto('login_attempts')
      .values(keys.map((key) => ({ key })))
      .returning('id')
      .execute()
  ).map((r) => r.id);
  const failures = await db
    .selectFrom('login_attempts')
    .select(['key', sql<number>`count(*)::int`.as('n')])
    .where('key', 'in', keys)
    .where('at', '>', since)
    .groupBy('key')
    .execute();
  if (failures.some((f) => f.n > props.limits.maxAttempts)) {
    await db.deleteFrom('login_attempts').where('id', 'in', attemptIds).execute();
    throw new AppError('rate_limited', 'too many failed sign-in attempts; try again later');
  }
  const user = await db.selectFrom('users').selectAll().where('email', '=', props.email).executeTakeFirst();
  const ok = user
    ? await verifyPassword(user.password_hash, props.password)
    : await verifyPassword(await DUMMY(), props.password);
  if (!user || !ok || !user.active) throw new AppError('invalid_credentials', 'email or password is wrong');
  await db
    .deleteFrom('login_attempts')
    .where((eb) => eb.or([eb('id', 'in', attemptIds), eb('key', '=', `email:${props.email}`)]))
    .execute();
  if (user.totp_secret || (await twoFactorRequiredFor(db, user.role))) {
    const challenge = newToken('c_');
    const purpose = user.totp_secret ? 'verify' : 'enrol';
    await db
      .insertInto('login_challenges')
      .values({
        id: hashToken(challenge),
        user_id: user.id,
        purpose,
        ip: props.client.ip,
        user_agent: props.client.userAgent?.slice(0, 500) ?? null,
        expires_at: new Date(Date.now() + CHALLENGE_TTL_MS),
      })
      .execute();
    return { status: purpose === 'verify' ? 'two_factor_required' : 'two_factor_enrolment_required', challenge };
  }
  return {
    status: 'signed_in',
    ...(await openSession(db, { userId: user.id, client: props.client, ttlHours: props.limits.sessionTtlHours })),
  };
}

/** A new session for a user whose sign-in is complete. */
export async function openSession(
  db: Db,
  props: { userId: string; client: ClientInfo; ttlHours: number },
): Promise<OpenedSession> {
  const token = newToken('s_');
  const csrfToken = newToken('');
  const sessionId = hashToken(token);
  await db
    .insertInto('sessions')
    .values({
      id: sessionId,
      user_id: props.userId,
      csrf_token: csrfToken,
      ip: props.client.ip,
      user_agent: props.client.userAgent?.slice(0, 500) ?? null,
      expires_at: new Date(Date.now() + props.ttlHours * 3600_000),
    })
    .execute();
  return { token, csrfToken, sessionId, userId: props.userId };
}

export interface SessionContext {
  actor: Extract<Actor, { kind: 'user' }>;
  sessionId: string;
  csrfToken: string;
}

export async function resolveSession(db: Db, token: string): Promise<SessionContext | undefined> {
  return resolveSessionById(db, hashToken(token));
}

/** The session by its stored id (live connections keep the id, never the token, to check it again). */
export async function resolveSessionById(db: Db, sessionId: string): Promise<SessionContext | undefined> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id', 's.csrf_token', 's.expires_at', 's.last_seen_at', 'u.id as user_id', 'u.role', 'u.name', 'u.active'])
    .where('s.id', '=', sessionId)
    .executeTakeFirst();
  if (!row?.active || row.expires_at.getTime() < Date.now()) return undefined;
  // Touch at most once a minute: a busy agent should not write on every request.
  if (Date.now() - row.last_seen_at.getTime() > 60_000) {
    await db.updateTable('sessions').set({ last_seen_at: new Date() }).where('id', '=', row.id).execute();
  }
  return {
    actor: { kind: 'user', id: row.user_id, role: row.role, name: row.name },
    sessionId: row.id,
    csrfToken: row.csrf_token,
  };
}

export async function logout(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}
