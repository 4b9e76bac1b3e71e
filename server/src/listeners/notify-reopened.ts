import { type DomainEvent, NAMESPACES, rooms } from '@autocrm/shared';
import type { EventListener } from '../events/listener';
import type { ListenerContext } from './context';

/**
 * A reopened conversation: the previous assignee hears about it in the workspace, and a widget showing
 * a conversation that continues in a follow-up is told which one.
 */
export function notifyReopenedListener(ctx: ListenerContext): EventListener {
  return {
    name: 'notify-reopened',
    events: ['conversation.reopened'],
    afterCommit(event) {
      const io = ctx.realtime()?.io;
      if (!io) return;
      const { conversation, previousAssigneeId, followUpId } = (event as DomainEvent<'conversation.reopened'>).data;
      if (previousAssigneeId) {
        io.of(NAMESPACES.agent)
          .to(rooms.user(previousAssigneeId))
          .emit('notification', {
            kind: 'reopened',
            conversationId: followUpId ?? conversation.id,
            title: followUpId
              ? `#${conversation.number}: the customer wrote again (new conversation)`
              : `#${conversation.number} reopened: the customer wrote again`,
            at: event.occurredAt,
          });
      }
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
