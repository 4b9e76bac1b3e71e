import { type DomainEvent, rooms, type SlaEventPayload } from '@autocrm/shared';
import type { EventListener } from '../events/listener';
import type { ListenerContext } from './context';

const TARGET_LABEL: Record<SlaEventPayload['target'], string> = {
  first_response: 'first reply',
  next_response: 'next reply',
  resolution: 'resolution',
};

/**
 * In-app SLA notifications: the assignee (or, with nobody assigned, every agent who sees the team's
 * queue — the supervisors' room) hears about a target that is due soon or was missed.
 */
export function notifySla(ctx: ListenerContext): EventListener {
  return {
    name: 'sla-notifications',
    events: ['sla.warning', 'sla.breached'],
    afterCommit(event: DomainEvent) {
      const agents = ctx.realtime()?.agents;
      if (!agents) return;
      const d = (event as DomainEvent<'sla.warning' | 'sla.breached'>).data;
      const breached = event.type === 'sla.breached';
      const target = d.assigneeId ? agents.to(rooms.user(d.assigneeId)).to(rooms.supervisors) : agents.to(rooms.supervisors);
      target.emit('notification', {
        kind: event.type as 'sla.warning' | 'sla.breached',
        conversationId: d.conversationId,
        title: breached ? `SLA missed: ${TARGET_LABEL[d.target]}` : `SLA due soon: ${TARGET_LABEL[d.target]}`,
        dueAt: d.dueAt,
        at: event.occurredAt,
      });
    },
  };
}
