import { type DomainEvent, NAMESPACES } from '@autocrm/shared';
import type { AutomationNotification } from '../domain/automation/automation-actions';
import { loadAutomationRules } from '../domain/automation/automation-rules';
import { TRIGGER_EVENTS, triggersOf } from '../domain/automation/event-triggers';
import { runAutomation } from '../domain/automation/run-automation';
import type { EventListener } from '../events/listener';
import { sendAutomationNotifications } from '../realtime/automation-notifications';
import type { ListenerContext } from './context';

const LABEL: Record<string, string> = {
  conversation_created: 'conversation created',
  customer_message: 'customer message',
  agent_message: 'agent message',
  status_changed: 'status changed',
  assigned: 'assigned',
  unassigned: 'unassigned',
  tag_added: 'tag added',
  reopened: 'reopened',
  snooze_ended: 'snooze ended',
  sla_warning: 'SLA warning',
  sla_breached: 'SLA breached',
};

/**
 * Automation rules on every event: runs in the dispatch transaction, so a rule's changes commit with the
 * event marked dispatched; the firing record makes a redelivered event fire each rule once. Notify
 * actions reach people's sockets after the commit.
 */
export function automationListener(ctx: ListenerContext): EventListener {
  const pending = new Map<number, AutomationNotification[]>();
  return {
    name: 'run-automation-rules',
    events: TRIGGER_EVENTS,
    async inTransaction(event, trx) {
      const match = triggersOf(event);
      if (!match) return;
      const rules = (await loadAutomationRules(trx, { triggers: match.types })).filter((r) => match.accepts(r.trigger));
      if (!rules.length) return;
      const notes = await runAutomation(trx, {
        conversationId: match.conversationId,
        eventKey: `event:${event.id}`,
        eventType: event.type,
        triggerLabel: LABEL[match.types[0] as string] ?? event.type,
        depth: event.cause?.depth ?? 0,
        rules,
        text: match.text,
        now: ctx.clock.now(),
      });
      if (notes.length) pending.set(event.id, notes);
      else pending.delete(event.id);
    },
    afterCommit(event: DomainEvent) {
      const notes = pending.get(event.id);
      pending.delete(event.id);
      const io = ctx.realtime()?.io;
      if (notes && io) sendAutomationNotifications(io.of(NAMESPACES.agent), notes, event.occurredAt);
    },
  };
}
