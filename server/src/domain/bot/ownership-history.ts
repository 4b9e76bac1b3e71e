import type { Db } from '../../storage/db';

/** Who answered a conversation over time (bot or human), oldest change first. */
export async function ownershipHistory(db: Db, props: { conversationId: string }) {
  return db
    .selectFrom('conversation_ownership')
    .selectAll()
    .where('conversation_id', '=', props.conversationId)
    .orderBy('id')
    .execute();
}
