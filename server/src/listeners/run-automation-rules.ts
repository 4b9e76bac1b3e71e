import { AUTOMATION_TRIGGERS, type DomainEvent, NAMESPACES } from '@autocrm/shared';
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
  conversation_updated: 'conversation updated',
};

// The relay dispatches a batch of events in one transaction: the enabled rules are read once per batch
// (keyed by that transaction), not once per event. Only an admin's edit changes them, never a rule run.
const rulesByBatch = new WeakMap<object, ReturnType<typeof loadAutomationRules>>();

/**
 * Automation rules on every event: runs in the dispatch transaction, so a rule's changes commit with the
 * event marked dispatched; the firing record makes a redelivered event fire each rule once. Notify
 * actions reach people's sockets after the commit.
 */
export function automationListener(ctx: ListenerContext): EventListener {
  const pending = new Map<number, { notifications: AutomationNotification[]; webhookDeliveries: string[] }>();
  return {
    name: 'run-automation-rules',
    events: TRIGGER_EVENTS,
    async inTransaction(event, trx) {
      const match = triggersOf(event);
      if (!match) return;
      let enabled = rulesByBatch.get(trx);
      if (!enabled) {
        enabled = loadAutomationRules(trx, { triggers: AUTOMATION_TRIGGERS });
        rulesByBatch.set(trx, enabled);
      }
      const rules = (await enabled).filter((r) => match.types.includes(r.trigger.type) && match.accepts(r.trigger));
      pending.delete(event.id);
      if (!rules.length) return;
      const after = { notifications: [] as AutomationNotification[], webhookDeliveries: [] as string[] };
      // One event may start several trigger types (a tag added is also a conversation update): each
      // group runs under its own label; the firing key is per rule, so none fires twice.
      for (const type of match.types) {
        const group = rules.filter((r) => r.trigger.type === type);
        if (!group.length) continue;
        const result = await runAutomation(trx, {
          conversationId: match.conversationId,
          eventKey: `event:${event.id}`,
          eventType: event.type,
          triggerLabel: LABEL[type] ?? event.type,
          depth: event.cause?.depth ?? 0,
          rules: group,
          text: match.text,
          now: ctx.clock.now(),
        });
        after.notifications.push(...result.notifications);
        after.webhookDeliveries.push(...result.webhookDeliveries);
      }
      if (after.notifications.length || after.webhookDeliveries.length) pending.set(event.id, after);
    },
    afterCommit(event: DomainEvent) {
      const after = pending.get(event.id);
      pending.delete(event.id);
      if (!after) return;
      if (after.webhookDeliveries.length) ctx.webhookWorker.poke();
      const io = ctx.realtime()?.io;
      if (after.notifications.length && io)
        sendAutomationNotifications(io.of(NAMESPACES.agent), after.notifications, event.occurredAt);
    },
  };
}
