import type { Db } from '../../storage/db';
import { appendMessage } from '../messages/append-message';
import { completeHandoff, type HandoffProps, takeRoomFromBot } from './complete-handoff';

export type { HandoffReason } from './complete-handoff';

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
export async function handOffToPerson(trx: Db, props: HandoffProps): Promise<boolean> {
  if (!(await takeRoomFromBot(trx, props))) return false;
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
  await completeHandoff(trx, props);
  return true;
}
