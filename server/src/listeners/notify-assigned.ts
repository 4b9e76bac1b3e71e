import type { DomainEvent } from '@autocrm/shared';
import type { EventListener } from '../events/listener';
import { agentNotifier, excerpt } from './agent-notifier';
import type { ListenerContext } from './context';

/**
 * The agent a conversation is assigned to hears about it, and the assignee hears when the customer
 * writes in their conversation (in the centre, live, and by push or mail when away).
 */
export function notifyAssignedAndReplies(ctx: ListenerContext): EventListener {
  const notifier = agentNotifier(ctx);
  return {
    name: 'notify-assigned-and-replies',
    events: ['conversation.assigned', 'message.created'],
    async inTransaction(event, trx) {
      if (event.type === 'conversation.assigned') {
        const { conversation, toAssigneeId, fromAssigneeId } = (event as DomainEvent<'conversation.assigned'>).data;
        if (!toAssigneeId || toAssigneeId === fromAssigneeId) return;
        await notifier.store(trx, event, [
          {
            userId: toAssigneeId,
            kind: 'assigned',
            conversationId: conversation.id,
            title: `#${conversation.number} was assigned to you`,
            body: conversation.subject,
          },
        ]);
        return;
      }
      const { message, conversation } = (event as DomainEvent<'message.created'>).data;
      if (message.authorKind !== 'contact' || !conversation.assigneeId || message.deletedAt) return;
      if (conversation.owner === 'bot') return;
      await notifier.store(trx, event, [
        {
          userId: conversation.assigneeId,
          kind: 'customer.replied',
          conversationId: conversation.id,
          messageId: message.id,
          title: `#${conversation.number}: the customer replied`,
          body: excerpt(message.bodyText || (message.attachments.length ? '(attachment)' : '')),
        },
      ]);
    },
    afterCommit: (event) => notifier.deliver(event),
  };
}
