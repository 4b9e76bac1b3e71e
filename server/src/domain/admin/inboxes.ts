import { randomBytes } from 'node:crypto';
import { AppError, type Channel } from '@autocrm/shared';
import type { Selectable } from 'kysely';
import type { InboxesTable } from '../../../../db/types';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';

const present = (r: Selectable<InboxesTable>, members: string[]) => ({
  id: r.id,
  name: r.name,
  channel: r.channel,
  websiteToken: r.website_token,
  members,
  createdAt: r.created_at.toISOString(),
});

async function membersOf(db: Db, ids: string[]) {
  const rows = ids.length ? await db.selectFrom('inbox_members').selectAll().where('inbox_id', 'in', ids).execute() : [];
  const map = new Map<string, string[]>();
  for (const r of rows) map.set(r.inbox_id, [...(map.get(r.inbox_id) ?? []), r.user_id]);
  return map;
}

export async function listInboxes(db: Db) {
  const rows = await db.selectFrom('inboxes').selectAll().orderBy('created_at').execute();
  const members = await membersOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => present(r, members.get(r.id) ?? []));
}

async function setMembers(trx: Db, inboxId: string, userIds: string[]) {
  const unique = [...new Set(userIds)];
  if (unique.length) {
    const found = await trx.selectFrom('users').select('id').where('id', 'in', unique).execute();
    if (found.length !== unique.length) {
      throw new AppError('validation_failed', 'members: unknown user', [
        { path: 'members', message: 'contains an unknown user' },
      ]);
    }
  }
  await trx.deleteFrom('inbox_members').where('inbox_id', '=', inboxId).execute();
  if (unique.length)
    await trx
      .insertInto('inbox_members')
      .values(unique.map((user_id) => ({ inbox_id: inboxId, user_id })))
      .execute();
}

export type CreateInboxProps = { actor: Actor; input: { name: string; channel: Channel; members?: string[] | undefined } };

/** A web inbox gets a public website token: the widget identifies its inbox with it. */
export async function createInbox(trx: Db, { actor, input }: CreateInboxProps) {
  const row = await trx
    .insertInto('inboxes')
    .values({
      name: input.name,
      channel: input.channel,
      website_token: input.channel === 'web' ? `wt_${randomBytes(16).toString('base64url')}` : null,
      settings: JSON.stringify({}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await setMembers(trx, row.id, input.members ?? []);
  const inbox = present(row, [...new Set(input.members ?? [])]);
  await recordAudit(trx, { actor, action: 'inbox.created', entityType: 'inbox', entityId: row.id, after: inbox });
  return inbox;
}

export type UpdateInboxProps = { actor: Actor; id: string; input: { name?: string | undefined; members?: string[] | undefined } };

export async function updateInbox(db: Db, { actor, id, input }: UpdateInboxProps) {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('inboxes').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw new AppError('not_found', 'inbox not found');
    const beforeMembers = (await membersOf(trx, [id])).get(id) ?? [];
    const row = input.name
      ? await trx.updateTable('inboxes').set({ name: input.name }).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
      : before;
    if (input.members) await setMembers(trx, id, input.members);
    const after = present(row, input.members ? [...new Set(input.members)] : beforeMembers);
    await recordAudit(trx, {
      actor,
      action: 'inbox.updated',
      entityType: 'inbox',
      entityId: id,
      before: present(before, beforeMembers),
      after,
    });
    return after;
  });
}
