import { rooms } from '@autocrm/shared';
import type { AutomationNotification } from '../domain/automation/automation-actions';
import type { IoNamespace } from './types';

/** An automation rule's notify action, delivered to each named person's sockets. */
export function sendAutomationNotifications(agents: IoNamespace, notes: AutomationNotification[], at: string): void {
  for (const n of notes) {
    for (const userId of n.userIds) {
      agents
        .to(rooms.user(userId))
        .emit('notification', { kind: 'automation', conversationId: n.conversationId, title: n.title, at });
    }
  }
}
