import type { DomainEvent } from '@autocrm/shared';
import { clearReminder } from '../domain/lifecycle/auto-resolve';
import { endSnooze } from '../domain/lifecycle/snooze';
import type { EventListener } from '../events/listener';
import type { ListenerContext } from './context';

/**
 * A customer message wakes a snoozed conversation (whichever comes first, the time or the reply) and
 * ends an auto-resolve countdown: the customer is back.
 */
export function wakeSnoozeOnReplyListener(ctx: ListenerContext): EventListener {
  return {
    name: 'wake-snooze-on-reply',
    events: ['message.created'],
    async inTransaction(event, trx) {
      const { message, conversation } = (event as DomainEvent<'message.created'>).data;
      if (message.authorKind !== 'contact' || message.private) return;
      await clearReminder(trx, conversation.id);
      if (conversation.snooze) await endSnooze(trx, { conversationId: conversation.id, reason: 'reply', now: ctx.clock.now() });
    },
  };
}
