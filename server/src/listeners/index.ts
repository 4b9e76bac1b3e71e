import type { EventListener } from '../events/listener';
import type { OutboxRelay } from '../events/relay';
import type { ListenerContext } from './context';
import { moveMergedClientsListener } from './move-merged-clients';
import { notifyReopenedListener } from './notify-reopened';
import { notifySnoozeEndedListener } from './notify-snooze-ended';
import { reconnectMergedVisitorsListener } from './reconnect-merged-visitors';
import { reopenListener } from './reopen-on-customer-message';
import { resetIdleOnStatusChangeListener } from './reset-idle-on-status-change';
import { automationListener } from './run-automation-rules';
import { wakeSnoozeOnReplyListener } from './wake-snooze-on-reply';

/**
 * The registry of reactions to domain events: one file per reaction, one line here. Order matters only
 * within one event's dispatch transaction.
 */
const LISTENERS: ((ctx: ListenerContext) => EventListener)[] = [
  reopenListener,
  notifyReopenedListener,
  wakeSnoozeOnReplyListener,
  notifySnoozeEndedListener,
  resetIdleOnStatusChangeListener,
  automationListener,
  moveMergedClientsListener,
  reconnectMergedVisitorsListener,
];

export function registerListeners(relay: OutboxRelay, ctx: ListenerContext): void {
  for (const make of LISTENERS) relay.register(make(ctx));
}
