import type { DomainEvent } from '@autocrm/shared';
import { queueBotTurn } from '../domain/bot/queue-bot-turn';
import type { EventListener } from '../events/listener';
import type { ListenerContext } from './context';

/**
 * The bot's turn: a customer message in a room the bot owns is queued for the bot worker in the dispatch
 * transaction; a hand-off stops the answer this process may be writing for that room.
 */
export function queueBotTurnListener(ctx: ListenerContext): EventListener {
  const { bot } = ctx;
  return {
    name: 'bot',
    events: ['message.created', 'conversation.handoff', 'conversation.updated'],
    inTransaction: async (event, trx) => {
      if (event.type === 'message.created') await queueBotTurn(trx, { event: event as DomainEvent<'message.created'> });
    },
    afterCommit: (event) => {
      if (event.type === 'message.created') bot.poke();
      else if (event.type === 'conversation.handoff')
        bot.abortTurn((event as DomainEvent<'conversation.handoff'>).data.conversation.id);
    },
  };
}
