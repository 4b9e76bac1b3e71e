import { AppError } from '@autocrm/shared';
import type { Db } from '../../storage/db';
import { type HandoffReason, handOffToPerson } from '../conversations/hand-off';

/**
 * A request to take the room from the bot: the customer's "talk to a person" button, an agent who
 * starts typing, or an agent's "take over". Reads first so the common case (a person already has the
 * room) writes nothing. Returns whether this call handed the room over.
 */
export async function requestPerson(
  db: Db,
  props: { conversationId: string; reason: HandoffReason; actorId?: string | null },
): Promise<boolean> {
  const conv = await db
    .selectFrom('conversations')
    .select(['owner', 'locale'])
    .where('id', '=', props.conversationId)
    .executeTakeFirst();
  if (!conv) throw new AppError('not_found', 'conversation not found');
  if (conv.owner !== 'bot') return false;
  return db.transaction().execute((trx) =>
    handOffToPerson(trx, {
      conversationId: props.conversationId,
      reason: props.reason,
      actorId: props.actorId ?? null,
      language: conv.locale,
    }),
  );
}
