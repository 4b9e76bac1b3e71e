import type { Db } from '../../storage/db';
import { queuePositionOf } from './queue';

/**
 * What a visitor opening a room should see of the queue: their place while they still wait for a
 * first word from a person. A public agent message since the room was queued ends the wait, even
 * when routing still counts the room as queued (an agent may answer before it is assigned).
 */
export async function waitingNoticeFor(db: Db, conversationId: string) {
  const queued = await queuePositionOf(db, conversationId);
  if (!queued) return null;
  const answered = await db
    .selectFrom('messages as m')
    .innerJoin('conversation_routing as r', 'r.conversation_id', 'm.conversation_id')
    .select('m.id')
    .where('m.conversation_id', '=', conversationId)
    .where('m.author_kind', '=', 'agent')
    .where('m.private', '=', false)
    .where((eb) => eb.or([eb('r.queued_at', 'is', null), eb('m.created_at', '>=', eb.ref('r.queued_at'))]))
    .limit(1)
    .executeTakeFirst();
  return answered ? null : queued;
}
