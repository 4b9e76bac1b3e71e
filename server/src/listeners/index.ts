import type { EventListener } from '../events/listener';
import type { OutboxRelay } from '../events/relay';
import { announceDeliveryStatus } from './announce-delivery-status';
import { announceNotificationsRead } from './announce-notifications-read';
import { announceQueuePositions } from './announce-queue-positions';
import type { ListenerContext } from './context';
import { countEvents } from './count-events';
import { dropStaleCache } from './drop-stale-cache';
import { enqueueWebhookDeliveries } from './enqueue-webhook-deliveries';
import { fanOutToSockets } from './fan-out-to-sockets';
import { indexKbArticles } from './index-kb-articles';
import { maintainReportRollups } from './maintain-report-rollups';
import { moveMergedClientsListener } from './move-merged-clients';
import { notifyAssignedAndReplies } from './notify-assigned';
import { notifyCustomersListener } from './notify-customers';
import { notifyMentions } from './notify-mentions';
import { notifyReopenedListener } from './notify-reopened';
import { notifySla } from './notify-sla';
import { notifySnoozeEndedListener } from './notify-snooze-ended';
import { queueBotTurnListener } from './queue-bot-turn';
import { reconnectMergedVisitorsListener } from './reconnect-merged-visitors';
import { reopenListener } from './reopen-on-customer-message';
import { resetIdleOnStatusChangeListener } from './reset-idle-on-status-change';
import { routeConversations } from './route-conversations';
import { routeQueueAgain } from './route-queue-again';
import { automationListener } from './run-automation-rules';
import { sendAccountMails } from './send-account-mails';
import { sendQueuedWebhookDeliveries } from './send-queued-webhook-deliveries';
import { wakeSnoozeOnReplyListener } from './wake-snooze-on-reply';

/**
 * The registry of reactions to domain events: one file per reaction, one line here. They run in this
 * order for each event: `inTransaction` parts inside the dispatch transaction, then `afterCommit` parts.
 * (A channel's outbound listeners are registered with the channel, channels/index.ts, after these.)
 */
const LISTENERS: ((ctx: ListenerContext) => EventListener)[] = [
  routeConversations,
  queueBotTurnListener,
  reopenListener,
  notifyReopenedListener,
  wakeSnoozeOnReplyListener,
  notifySnoozeEndedListener,
  resetIdleOnStatusChangeListener,
  automationListener,
  moveMergedClientsListener,
  reconnectMergedVisitorsListener,
  enqueueWebhookDeliveries,
  countEvents,
  // After every listener that changes a conversation in the dispatch transaction (reopen, routing...).
  maintainReportRollups,
  // Realtime: after every other listener, as when the socket server registered them itself.
  fanOutToSockets,
  announceQueuePositions,
  notifySla,
  notifyMentions,
  announceNotificationsRead,
  announceDeliveryStatus,
  // Internal events (shared/src/schemas/internal-events.ts): wake a background loop after a change.
  routeQueueAgain,
  indexKbArticles,
  sendQueuedWebhookDeliveries,
  sendAccountMails,
  dropStaleCache,
  notifyAssignedAndReplies,
  notifyCustomersListener,
];

export function registerListeners(relay: OutboxRelay, ctx: ListenerContext): void {
  for (const make of LISTENERS) relay.register(make(ctx));
}
