import type { Db } from '../../storage/db';

/** The signed-in user's own row (the session was just checked, so the user exists). */
export async function userById(db: Db, props: { userId: string }) {
  return db.selectFrom('users').selectAll().where('id', '=', props.userId).executeTakeFirstOrThrow();
}

/** Of these user ids, the users still active (deactivated users get no notifications). */
export async function activeUsersAmong(db: Db, props: { userIds: string[] }) {
  if (!props.userIds.length) return [];
  return db
    .selectFrom('users')
    .select(['id', 'name', 'role'])
    .where('id', 'in', props.userIds)
    .where('active', '=', true)
    .execute();
}

/** A user's display name, if the user exists. */
export async function userNameOf(db: Db, props: { userId: string }): Promise<string | undefined> {
  return (await db.selectFrom('users').select('name').where('id', '=', props.userId).executeTakeFirst())?.name;
}
