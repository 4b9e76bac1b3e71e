import type { DomainEvent } from '@autocrm/shared';
import { clearReminder } from '../domain/lifecycle/auto-resolve';
import type { EventListener } from '../events/listener';

/** A status change starts any auto-resolve countdown afresh (a new wait on the customer). */
export function resetIdleOnStatusChangeListener(): EventListener {
  return {
    name: 'reset-idle-on-status-change',
    events: ['conversation.status_changed'],
    async inTransaction(event, trx) {
      const { conversation } = (event as DomainEvent<'conversation.status_changed'>).data;
      if (conversation.status.category !== 'resolved') await clearReminder(trx, conversation.id);
    },
  };
}
