import type { RoomOwner } from '@autocrm/shared';
import type { Db } from '../../storage/db';

/**
 * Changes who answers a room, inside the caller's transaction: a conditional update, so of two racing
 * changes only one applies, and every change is recorded. Returns false when the room was not `from`.
 */
export async function takeRoom(
  trx: Db,
  props: { conversationId: string; to: RoomOwner; reason: string; actorId?: string | null },
): Promise<boolean> {
  const from: RoomOwner = props.to === 'human' ? 'bot' : 'human';
  const r = await trx
    .updateTable('conversations')
    .set({ owner: props.to, updated_at: new Date() })
    .where('id', '=', props.conversationId)
    .where('owner', '=', from)
    .executeTakeFirst();
  if (!r.numUpdatedRows) return false;
  await trx
    .insertInto('conversation_ownership')
    .values({
      conversation_id: props.conversationId,
      from_owner: from,
      to_owner: props.to,
      reason: props.reason,
      actor_id: props.actorId ?? null,
    })
    .execute();
  return true;
}
