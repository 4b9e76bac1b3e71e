import { type DomainEvent, NAMESPACES, rooms } from '@autocrm/shared';
import type { EventListener } from '../events/listener';
import { agentNotifier } from './agent-notifier';
import type { ListenerContext } from './context';

/**
 * A reopened conversation: the previous assignee gets a notification (centre, live, push or mail), and a widget showing
 * a conversation that continues in a follow-up is told which one.
 */
export function notifyReopenedListener(ctx: ListenerContext): EventListener {
  const notifier = agentNotifier(ctx);
  return {
    name: 'notify-reopened',
    events: ['conversation.reopened'],
    async inTransaction(event, trx) {
      const { conversation, previousAssigneeId, followUpId } = (event as DomainEvent<'conversation.reopened'>).data;
      if (!previousAssigneeId) return;
      await notifier.store(trx, event, [
        {
          userId: previousAssigneeId,
          kind: 'reopened',
          conversationId: followUpId ?? conversation.id,
          title: followUpId
            ? `#${conversation.number}: the customer wrote again (new conversation)`
            : `#${conversation.number} reopened: the customer wrote again`,
        },
      ]);
    },
    async afterCommit(event) {
      await notifier.deliver(event);
      const io = ctx.realtime()?.io;
      if (!io) return;
      const { conversation, followUpId } = (event as DomainEvent<'conversation.reopened'>).data;
      if (followUpId) {
        io.of(NAMESPACES.widget).to(rooms.conversation(conversation.id)).emit('conversation:updated', {
          conversationId: conversation.id,
          statusCategory: conversation.status.category,
          assignee: null,
          owner: conversation.owner,
          continuedIn: followUpId,
        });
      }
    },
  };
}
