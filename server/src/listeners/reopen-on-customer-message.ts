import type { DomainEvent } from '@autocrm/shared';
import { reopenOnCustomerMessage } from '../domain/lifecycle/reopen-conversation';
import type { EventListener } from '../events/listener';
import type { ListenerContext } from './context';

/** A customer message in a resolved or closed conversation reopens it (or starts its follow-up). */
export function reopenListener(ctx: ListenerContext): EventListener {
  return {
    name: 'reopen-on-customer-message',
    events: ['message.created'],
    async inTransaction(event, trx) {
      const { message, conversation } = (event as DomainEvent<'message.created'>).data;
      if (message.authorKind !== 'contact' || message.private) return;
      // The event carries the conversation as it was when the message was stored: cheap first filter.
      const category = conversation.status.category;
      if (category !== 'resolved' && category !== 'closed') return;
      await reopenOnCustomerMessage(trx, { message, now: ctx.clock.now() });
    },
  };
}
