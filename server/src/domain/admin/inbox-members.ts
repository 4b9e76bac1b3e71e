import type { Db } from '../../storage/db';

/** The ids of the agents who are members of an inbox. */
export async function inboxMemberIds(db: Db, props: { inboxId: string }): Promise<string[]> {
  const rows = await db.selectFrom('inbox_members').select('user_id').where('inbox_id', '=', props.inboxId).execute();
  return rows.map((r) => r.user_id);
}
