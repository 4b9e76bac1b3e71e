import { stringsFor } from '@autocrm/shared/strings';
import { escapeUTF8 } from 'entities';
import type { Db } from '../../storage/db';
import { appendMessage } from '../messages/append-message';
import { completeHandoff, type HandoffProps, takeRoomFromBot } from './complete-handoff';

export type { HandoffReason } from './complete-handoff';

/**
 * The bot gives the room to a person, atomically: ownership flips (once, however many reasons race),
 * the change is recorded, the customer is told in their language, and `conversation.handoff` sends the
 * conversation to routing. Returns false when a person already had the room.
 */
export async function handOffToPerson(trx: Db, props: HandoffProps): Promise<boolean> {
  if (!(await takeRoomFromBot(trx, props))) return false;
  // An agent who stepped in (typing, replying, taking over) needs no announcement: they answer next.
  if (!props.reason.startsWith('agent_')) {
    await appendMessage(trx, {
      conversationId: props.conversationId,
      authorKind: 'system',
      authorId: null,
      body: `<p>${escapeUTF8(stringsFor('bot', props.language).handoff)}</p>`,
    });
  }
  await completeHandoff(trx, props);
  return true;
}
