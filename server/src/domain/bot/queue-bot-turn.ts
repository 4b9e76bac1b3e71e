import type { DomainEvent } from '@autocrm/shared';
import type { Db } from '../../storage/db';

/**
 * A customer message in a room the bot owns becomes a turn for the bot worker, in the transaction that
 * dispatches the event (once however often the event comes). True when it is one the bot answers.
 */
export async function queueBotTurn(trx: Db, props: { event: DomainEvent<'message.created'> }): Promise<boolean> {
  const { message, conversation } = props.event.data;
  if (message.authorKind !== 'contact' || message.private || conversation.owner !== 'bot') return false;
  await queueBotTurnFor(trx, { conversationId: conversation.id, messageId: message.id });
  return true;
}

/** The turn row itself; a message's turn is stored once however often this runs. */
export async function queueBotTurnFor(trx: Db, props: { conversationId: string; messageId: string }): Promise<void> {
  await trx
    .insertInto('bot_turns')
    .values({ conversation_id: props.conversationId, message_id: props.messageId })
    .onConflict((oc) => oc.column('message_id').doNothing())
    .execute();
}
