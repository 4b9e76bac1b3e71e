import { type DomainEvent, type Message, rooms } from '@autocrm/shared';
import type { EventListener } from '../events/listener';
import type { IoNamespace } from '../realtime/types';
import type { ListenerContext } from './context';

/**
 * Realtime fan-out, driven by outbox events after commit: a message reaches its room (agents and
 * supervisors; visitors only when it is not an internal note), and queue changes reach the agents who
 * can see that inbox. With the Redis adapter these emits reach sockets on every process.
 */
export function fanOutToSockets(ctx: ListenerContext): EventListener {
  const toRoom = (agents: IoNamespace, widget: IoNamespace, message: Message, eventSeq: number) => {
    const event = { conversationId: message.conversationId, eventSeq, message };
    agents.to(rooms.conversation(message.conversationId)).to(rooms.supervisors).emit('message', event);
    if (!message.private) widget.to(rooms.conversation(message.conversationId)).emit('message', event);
  };

  return {
    name: 'realtime',
    events: ['message.created', 'message.updated', 'conversation.created', 'conversation.updated'],
    // A new message goes to its room straight from the process that stored it, right after its commit.
    // The queue's copy of the conversation still waits for the dispatch, in outbox order, so an older
    // conversation update can never overwrite it on the agents' screens.
    early(event: DomainEvent) {
      const realtime = ctx.realtime();
      if (!realtime || event.type !== 'message.created') return false;
      const { message } = (event as DomainEvent<'message.created'>).data;
      toRoom(realtime.agents, realtime.widget, message, message.seq);
      return true;
    },
    afterCommit(event: DomainEvent, ranEarly?: boolean) {
      const realtime = ctx.realtime();
      if (!realtime) return;
      const { agents, widget } = realtime;
      switch (event.type) {
        case 'message.created': {
          const { message, conversation } = (event as DomainEvent<'message.created'>).data;
          if (!ranEarly) toRoom(agents, widget, message, message.seq);
          agents
            .to(rooms.inboxQueue(conversation.inboxId))
            .to(rooms.supervisors)
            .emit('queue:conversation', { conversation, reason: 'message' });
          return;
        }
        case 'message.updated': {
          const { message, revisionSeq } = (event as DomainEvent<'message.updated'>).data;
          toRoom(agents, widget, message, revisionSeq);
          return;
        }
        case 'conversation.created':
        case 'conversation.updated': {
          const { conversation } = (event as DomainEvent<'conversation.created' | 'conversation.updated'>).data;
          agents
            .to(rooms.inboxQueue(conversation.inboxId))
            .to(rooms.supervisors)
            .emit('queue:conversation', { conversation, reason: event.type === 'conversation.created' ? 'created' : 'updated' });
          if (event.type === 'conversation.updated') {
            widget.to(rooms.conversation(conversation.id)).emit('conversation:updated', {
              conversationId: conversation.id,
              statusCategory: conversation.status.category,
              assignee: conversation.assigneeId ? { kind: 'agent', id: conversation.assigneeId, name: null } : null,
              owner: conversation.owner,
            });
          }
          return;
        }
      }
    },
  };
}
