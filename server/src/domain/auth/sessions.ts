import { AppError } from '@autocrm/shared';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { hashPassword, verifyPassword } from './passwords';
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

/**
 * Checks credentials and opens a session. Failed attempts are counted per email and per client address
 * in the database, so the limit holds across processes and restarts.
 */
export async function login(
  db: Db,
  props: { email: string; password: string; clientIp: string; limits: LoginLimits },
): Promise<{ token: string; csrfToken: string; sessionId: string; userId: string }> {
  const since = new Date(Date.now() - props.limits.windowSeconds * 1000);
  const keys = [`email:${props.email}`, `ip:${props.clientIp}`];
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
  const token = newToken('s_');
  const csrfToken = newToken('');
  const sessionId = hashToken(token);
  await db
    .insertInto('sessions')
    .values({
      id: sessionId,
      user_id: user.id,
      csrf_token: csrfToken,
      expires_at: new Date(Date.now() + props.limits.sessionTtlHours * 3600_000),
    })
    .execute();
  return { token, csrfToken, sessionId, userId: user.id };
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
