import { type DomainEvent, NAMESPACES, rooms } from '@autocrm/shared';
import type { EventListener } from '../events/listener';
import type { ListenerContext } from './context';

const WHY = { time: 'snooze time is up', reply: 'the customer replied', agent: 'woken' } as const;

/** The agent who snoozed a conversation (and its assignee) hear when it comes back. */
export function notifySnoozeEndedListener(ctx: ListenerContext): EventListener {
  return {
    name: 'notify-snooze-ended',
    events: ['conversation.snooze_ended'],
    afterCommit(event) {
      const io = ctx.realtime()?.io;
      const { conversation, reason, snoozedBy } = (event as DomainEvent<'conversation.snooze_ended'>).data;
      if (!io || reason === 'agent') return;
      const to = [...new Set([snoozedBy, conversation.assigneeId].filter((x): x is string => !!x))];
      if (!to.length) return;
      let target = io.of(NAMESPACES.agent).to(rooms.user(to[0] as string));
      for (const id of to.slice(1)) target = target.to(rooms.user(id));
      target.emit('notification', {
        kind: 'snooze.ended',
        conversationId: conversation.id,
        title: `#${conversation.number} is back: ${WHY[reason]}`,
        at: event.occurredAt,
      });
    },
  };
}
