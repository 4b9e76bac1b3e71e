import { emit } from '../../events/outbox';
import type { Db } from '../../storage/db';
import { appendMessage } from '../messages/append-message';
import { takeRoom } from '../messages/take-room';
import { presentConversation } from './present-conversation';

/** Why the bot gave a room to a person; stable codes (webhooks, reports, the workspace badge). */
export type HandoffReason =
  | 'customer_request'
  | 'no_answer'
  | 'unhelpful'
  | 'llm_failed'
  | 'agent_typing'
  | 'agent_replied'
  | 'agent_took_over';

const CUSTOMER_NOTICE: Record<string, string> = {
  en: 'I’m connecting you with a person from our team. They will reply here.',
  de: 'Ich verbinde Sie mit einer Person aus unserem Team. Sie antwortet hier.',
  fr: 'Je vous mets en relation avec une personne de notre équipe. Elle vous répondra ici.',
  es: 'Te pongo en contacto con una persona de nuestro equipo. Te responderá aquí.',
  pt: 'Vou ligar você a uma pessoa da nossa equipa. Ela responderá aqui.',
};

/**
 * The bot gives the room to a person, atomically: ownership flips (once, however many reasons race),
 * the change is recorded, the customer is told in their language, and `conversation.handoff` sends the
 * conversation to routing. Returns false when a person already had the room.
 */
export async function handOffToPerson(
  trx: Db,
  props: { conversationId: string; reason: HandoffReason; actorId?: string | null; language?: string | null },
): Promise<boolean> {
  const took = await takeRoom(trx, {
    conversationId: props.conversationId,
    to: 'human',
    reason: props.reason,
    actorId: props.actorId ?? null,
  });
  if (!took) return false;
  // An agent who stepped in (typing, replying, taking over) needs no announcement: they answer next.
  if (!props.reason.startsWith('agent_')) {
    const lang = (props.language ?? 'en').slice(0, 2);
    await appendMessage(trx, {
      conversationId: props.conversationId,
      authorKind: 'system',
      authorId: null,
      body: `<p>${CUSTOMER_NOTICE[lang] ?? CUSTOMER_NOTICE.en}</p>`,
    });
  }
  // The agent who stepped in keeps the room (routing then classifies it but does not reassign it).
  let assigned = false;
  if (props.actorId && props.reason.startsWith('agent_')) {
    const r = await trx
      .updateTable('conversations')
      .set({ assignee_id: props.actorId })
      .where('id', '=', props.conversationId)
      .where('assignee_id', 'is', null)
      .executeTakeFirst();
    assigned = Number(r.numUpdatedRows) > 0;
  }
  const conversation = await presentConversation(trx, props.conversationId);
  if (!conversation) throw new Error(`conversation ${props.conversationId} vanished during hand-off`);
  await emit(trx, 'conversation.updated', { conversation, changed: assigned ? ['owner', 'assigneeId'] : ['owner'] });
  if (assigned)
    await emit(trx, 'conversation.assigned', { conversation, fromAssigneeId: null, toAssigneeId: props.actorId ?? null });
  await emit(trx, 'conversation.handoff', { conversation, reason: props.reason, language: props.language ?? null });
  return true;
}
