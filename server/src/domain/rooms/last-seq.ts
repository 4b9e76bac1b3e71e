import type { Db } from '../../storage/db';

/** The room's latest seq (a joining client resumes from it); the conversation must exist. */
export async function roomLastSeq(db: Db, props: { conversationId: string }): Promise<number> {
  const conv = await db
    .selectFrom('conversations')
    .select('last_seq')
    .where('id', '=', props.conversationId)
    .executeTakeFirstOrThrow();
  return conv.last_seq;
}
