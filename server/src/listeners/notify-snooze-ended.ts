import type { DomainEvent } from '@autocrm/shared';
import type { EventListener } from '../events/listener';
import { agentNotifier } from './agent-notifier';
import type { ListenerContext } from './context';

const WHY = { time: 'snooze time is up', reply: 'the customer replied', agent: 'woken' } as const;

/** The agent who snoozed a conversation (and its assignee) get a notification when it comes back. */
export function notifySnoozeEndedListener(ctx: ListenerContext): EventListener {
  const notifier = agentNotifier(ctx);
  return {
    name: 'notify-snooze-ended',
    events: ['conversation.snooze_ended'],
    async inTransaction(event, trx) {
      const { conversation, reason, snoozedBy } = (event as DomainEvent<'conversation.snooze_ended'>).data;
      if (reason === 'agent') return;
      const to = [...new Set([snoozedBy, conversation.assigneeId].filter((x): x is string => !!x))];
      await notifier.store(
        trx,
        event,
        to.map((userId) => ({
          userId,
          kind: 'snooze.ended' as const,
          conversationId: conversation.id,
          title: `#${conversation.number} is back: ${WHY[reason]}`,
        })),
      );
    },
    afterCommit: (event) => notifier.deliver(event),
  };
}
