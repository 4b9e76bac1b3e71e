import { type DomainEvent, rooms, type SlaEventPayload } from '@autocrm/shared';
import type { EventListener } from '../events/listener';
import { agentNotifier } from './agent-notifier';
import type { ListenerContext } from './context';

const TARGET_LABEL: Record<SlaEventPayload['target'], string> = {
  first_response: 'first reply',
  next_response: 'next reply',
  resolution: 'resolution',
};

/**
 * SLA notifications: the assignee gets one in their centre (live, and by push or mail when away) about a
 * target that is due soon or was missed; the supervisors' room hears it live (with nobody assigned,
 * every agent who watches the queues).
 */
export function notifySla(ctx: ListenerContext): EventListener {
  const notifier = agentNotifier(ctx);
  const titleOf = (event: DomainEvent) => {
    const d = (event as DomainEvent<'sla.warning' | 'sla.breached'>).data;
    return event.type === 'sla.breached' ? `SLA missed: ${TARGET_LABEL[d.target]}` : `SLA due soon: ${TARGET_LABEL[d.target]}`;
  };
  return {
    name: 'sla-notifications',
    events: ['sla.warning', 'sla.breached'],
    async inTransaction(event, trx) {
      const d = (event as DomainEvent<'sla.warning' | 'sla.breached'>).data;
      if (!d.assigneeId) return;
      await notifier.store(trx, event, [
        {
          userId: d.assigneeId,
          kind: event.type as 'sla.warning' | 'sla.breached',
          conversationId: d.conversationId,
          title: titleOf(event),
          live: { dueAt: d.dueAt },
        },
      ]);
    },
    async afterCommit(event: DomainEvent) {
      await notifier.deliver(event);
      const agents = ctx.realtime()?.agents;
      if (!agents) return;
      const d = (event as DomainEvent<'sla.warning' | 'sla.breached'>).data;
      // The assignee's own tabs heard it above (with its stored id); supervisors hear it live.
      const target = d.assigneeId ? agents.to(rooms.supervisors).except(rooms.user(d.assigneeId)) : agents.to(rooms.supervisors);
      target.emit('notification', {
        kind: event.type as 'sla.warning' | 'sla.breached',
        conversationId: d.conversationId,
        title: titleOf(event),
        dueAt: d.dueAt,
        at: event.occurredAt,
      });
    },
  };
}
