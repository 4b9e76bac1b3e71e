import { AppError } from '@autocrm/shared';
import type { UserRow } from '../../../../db/types';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';
import { avatarUrlOf } from './avatar';
import { describeDevice } from './describe-device';
import { recoveryCodesLeft } from './recovery-codes';
import { twoFactorRequiredFor } from './security-settings';

export const initialsOf = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((p) => p[0]!.toUpperCase())
    .join('') || '?';

const presentProfile = async (db: Db, u: UserRow) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  displayName: u.display_name,
  initials: initialsOf(u.display_name ?? u.name),
  avatarUrl: avatarUrlOf(u),
  locale: u.locale,
  role: u.role,
  twoFactor: {
    enabled: !!u.totp_secret,
    enabledAt: u.totp_enabled_at?.toISOString() ?? null,
    recoveryCodesLeft: u.totp_secret ? await recoveryCodesLeft(db, u.id) : 0,
    requiredByWorkspace: await twoFactorRequiredFor(db, u.role),
  },
});

export async function getProfile(db: Db, userId: string) {
  const u = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  if (!u) throw new AppError('not_found', 'user not found');
  return presentProfile(db, u);
}

export type UpdateProfileProps = {
  actor: Extract<Actor, { kind: 'user' }>;
  input: { name?: string | undefined; displayName?: string | null | undefined; locale?: string | null | undefined };
};

/** Name, display name (shown to customers and on the avatar) and language; the role is the admin's to change. */
export async function updateProfile(db: Db, { actor, input }: UpdateProfileProps) {
  const row = await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('users').selectAll().where('id', '=', actor.id).forUpdate().executeTakeFirstOrThrow();
    const after = await trx
      .updateTable('users')
      .set({
        ...(input.name ? { name: input.name } : {}),
        ...(input.displayName !== undefined ? { display_name: input.displayName || null } : {}),
        ...(input.locale !== undefined ? { locale: input.locale } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', actor.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const pick = (u: UserRow) => ({ name: u.name, displayName: u.display_name, locale: u.locale });
    await recordAudit(trx, {
      actor,
      action: 'user.profile_updated',
      entityType: 'user',
      entityId: actor.id,
      before: pick(before),
      after: pick(after),
    });
    return after;
  });
  return presentProfile(db, row);
}

export type ListSessionsProps = { userId: string; currentSessionId: string | undefined };

/** The user's live sessions, this one first, then by last activity. */
export async function listSessions(db: Db, { userId, currentSessionId }: ListSessionsProps) {
  const rows = await db
    .selectFrom('sessions')
    .select(['id', 'user_agent', 'ip', 'created_at', 'last_seen_at'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', new Date())
    .orderBy('last_seen_at', 'desc')
    .execute();
  return rows
    .map((s) => ({
      // The stored id is the token's hash: naming it lets its owner end it, but cannot sign anyone in.
      id: s.id,
      current: s.id === currentSessionId,
      device: describeDevice(s.user_agent),
      ip: s.ip,
      createdAt: s.created_at.toISOString(),
      lastSeenAt: s.last_seen_at.toISOString(),
    }))
    .sort((a, b) => Number(b.current) - Number(a.current));
}

export type EndSessionProps = { actor: Extract<Actor, { kind: 'user' }>; sessionId: string };

/** Ends one of the user's own sessions (another user's is "not found"). */
export async function endSession(db: Db, { actor, sessionId }: EndSessionProps) {
  await db.transaction().execute(async (trx) => {
    const r = await trx.deleteFrom('sessions').where('id', '=', sessionId).where('user_id', '=', actor.id).executeTakeFirst();
    if (!Number(r.numDeletedRows)) throw new AppError('not_found', 'session not found');
    await recordAudit(trx, { actor, action: 'user.session_ended', entityType: 'user', entityId: actor.id });
  });
}

export type EndOtherSessionsProps = { actor: Extract<Actor, { kind: 'user' }>; currentSessionId: string };

/** "Sign out everywhere else": every session of the user but this one ends. Returns the ended ids. */
export async function endOtherSessions(db: Db, { actor, currentSessionId }: EndOtherSessionsProps) {
  return db.transaction().execute(async (trx) => {
    const ended = await trx
      .deleteFrom('sessions')
      .where('user_id', '=', actor.id)
      .where('id', '<>', currentSessionId)
      .returning('id')
      .execute();
    await recordAudit(trx, {
      actor,
      action: 'user.other_sessions_ended',
      entityType: 'user',
      entityId: actor.id,
      after: { ended: ended.length },
    });
    return ended.map((e) => e.id);
  });
}
