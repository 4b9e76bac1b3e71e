import { AppError, type Invitation, type Role } from '@autocrm/shared';
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import type { InvitationsTable } from '../../../../db/types';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';
import { queueAccountMail } from './account-mail';
import { hashPassword } from './passwords';
import { hashToken } from './tokens';
import { presentUser } from './users';

type InvitationRow = Selectable<InvitationsTable> & { inviter?: string | null };

const statusOf = (i: InvitationRow): z.infer<typeof Invitation>['status'] =>
  i.accepted_at
    ? 'accepted'
    : i.revoked_at
      ? 'revoked'
      : !i.sent_at || !i.expires_at
        ? 'sending'
        : i.expires_at.getTime() < Date.now()
          ? 'expired'
          : 'pending';

export const presentInvitation = (i: InvitationRow) => ({
  id: i.id,
  email: i.email,
  name: i.name,
  role: i.role,
  inboxIds: i.inbox_ids,
  invitedBy: i.inviter ?? null,
  status: statusOf(i),
  sentAt: i.sent_at?.toISOString() ?? null,
  expiresAt: i.expires_at?.toISOString() ?? null,
  createdAt: i.created_at.toISOString(),
});

const withInviter = (db: Db) =>
  db.selectFrom('invitations as i').leftJoin('users as u', 'u.id', 'i.invited_by').selectAll('i').select('u.name as inviter');

/** Invitations not yet accepted or revoked (expired ones too, to resend), newest first. */
export async function listOpenInvitations(db: Db) {
  const rows = await withInviter(db)
    .where('i.accepted_at', 'is', null)
    .where('i.revoked_at', 'is', null)
    .orderBy('i.created_at', 'desc')
    .execute();
  return rows.map(presentInvitation);
}

async function openInvitationFor(trx: Db, email: string) {
  return trx
    .selectFrom('invitations')
    .selectAll()
    .where('email', '=', email)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

export type CreateInvitationProps = {
  actor: Actor;
  input: { email: string; name?: string | undefined; role: Role; inboxIds: string[]; language?: string | undefined };
};

/** Invites a person by email; the mail with a single-use link is sent by the account mail sender. */
export async function createInvitation(db: Db, { actor, input }: CreateInvitationProps) {
  return db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('users').select('id').where('email', '=', input.email).executeTakeFirst();
    if (user)
      throw new AppError('conflict', 'email: a user with this email exists', [{ path: 'email', message: 'already a user' }]);
    if (await openInvitationFor(trx, input.email))
      throw new AppError('conflict', 'email: this person is invited already; resend the invitation instead', [
        { path: 'email', message: 'invited already' },
      ]);
    const inboxIds = [...new Set(input.inboxIds)];
    if (inboxIds.length) {
      const found = await trx.selectFrom('inboxes').select('id').where('id', 'in', inboxIds).execute();
      if (found.length !== inboxIds.length)
        throw new AppError('validation_failed', 'inboxIds: unknown inbox', [{ path: 'inboxIds', message: 'unknown inbox' }]);
    }
    const row = await trx
      .insertInto('invitations')
      .values({
        email: input.email,
        name: input.name ?? null,
        role: input.role,
        inbox_ids: inboxIds,
        invited_by: actor.kind === 'user' ? actor.id : null,
        locale: input.language ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await queueAccountMail(trx, { kind: 'invitation', refId: row.id });
    const presented = presentInvitation(row);
    await recordAudit(trx, { actor, action: 'invitation.created', entityType: 'invitation', entityId: row.id, after: presented });
    return presented;
  });
}

export type ResendInvitationProps = { actor: Actor; id: string };

/** Sends the invitation again with a new link (the old link stops working) and a new expiry. */
export async function resendInvitation(db: Db, { actor, id }: ResendInvitationProps) {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('invitations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw new AppError('not_found', 'invitation not found');
    if (row.accepted_at || row.revoked_at) throw new AppError('conflict', 'the invitation was accepted or revoked');
    // Until the sender mints the new link, the old one is dead.
    const updated = await trx
      .updateTable('invitations')
      .set({ token_hash: null, sent_at: null, expires_at: null })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await queueAccountMail(trx, { kind: 'invitation', refId: id });
    await recordAudit(trx, { actor, action: 'invitation.resent', entityType: 'invitation', entityId: id });
    return presentInvitation(updated);
  });
}

export type RevokeInvitationProps = { actor: Actor; id: string };

export async function revokeInvitation(db: Db, { actor, id }: RevokeInvitationProps) {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('invitations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw new AppError('not_found', 'invitation not found');
    if (row.accepted_at) throw new AppError('conflict', 'the invitation was accepted already; deactivate the user instead');
    const updated = await trx
      .updateTable('invitations')
      .set({ revoked_at: row.revoked_at ?? new Date(), token_hash: null })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor,
      action: 'invitation.revoked',
      entityType: 'invitation',
      entityId: id,
      before: presentInvitation(row),
      after: presentInvitation(updated),
    });
    return presentInvitation(updated);
  });
}

/** The invitation behind a link, or link_invalid / link_expired. */
async function byToken(db: Db, token: string, lock: boolean) {
  let q = withInviter(db).where('i.token_hash', '=', hashToken(token));
  if (lock) q = q.forUpdate(['i']);
  const row = await q.executeTakeFirst();
  if (!row || row.accepted_at || row.revoked_at)
    throw new AppError('link_invalid', 'this invitation link is not valid (used, replaced by a newer one, or revoked)');
  if (!row.expires_at || row.expires_at.getTime() < Date.now())
    throw new AppError('link_expired', 'this invitation has expired; ask your admin to send it again');
  return row;
}

export async function previewInvitation(db: Db, token: string) {
  const row = await byToken(db, token, false);
  return {
    email: row.email,
    name: row.name,
    role: row.role,
    invitedBy: row.inviter ?? null,
    expiresAt: row.expires_at!.toISOString(),
  };
}

/** Accepts an invitation: the user is created with the invited role and inboxes; the link is used up. */
export async function acceptInvitation(db: Db, props: { token: string; name: string; password: string }) {
  const passwordHash = await hashPassword(props.password);
  return db.transaction().execute(async (trx) => {
    const inv = await byToken(trx, props.token, true);
    const exists = await trx.selectFrom('users').select('id').where('email', '=', inv.email).executeTakeFirst();
    if (exists) throw new AppError('conflict', 'a user with this email exists already; sign in instead');
    const user = await trx
      .insertInto('users')
      .values({ email: inv.email, name: props.name, role: inv.role, password_hash: passwordHash })
      .returningAll()
      .executeTakeFirstOrThrow();
    // Inboxes deleted since the invitation was sent are skipped.
    const inboxes = inv.inbox_ids.length
      ? await trx.selectFrom('inboxes').select('id').where('id', 'in', inv.inbox_ids).execute()
      : [];
    if (inboxes.length)
      await trx
        .insertInto('inbox_members')
        .values(inboxes.map((i) => ({ inbox_id: i.id, user_id: user.id })))
        .execute();
    await trx
      .updateTable('invitations')
      .set({ accepted_at: new Date(), accepted_user_id: user.id, token_hash: null })
      .where('id', '=', inv.id)
      .execute();
    const actor = { kind: 'user', id: user.id, role: user.role, name: user.name } as const;
    await recordAudit(trx, { actor, action: 'invitation.accepted', entityType: 'invitation', entityId: inv.id });
    await recordAudit(trx, { actor, action: 'user.created', entityType: 'user', entityId: user.id, after: presentUser(user) });
    return user;
  });
}
