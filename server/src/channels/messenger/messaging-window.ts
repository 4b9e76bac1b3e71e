import { MESSENGER_TAGS } from '@autocrm/shared';
import type { Db } from '../../storage/db';
import { customerAddressIn, lastCustomerMessageAt } from '../messaging/customer-window';

/** Messenger's standard messaging window, and how long HUMAN_AGENT may still answer after it. */
export const WINDOW_MS = 24 * 60 * 60 * 1000;
export const HUMAN_AGENT_MS = 7 * 24 * 60 * 60 * 1000;

/** The window of a conversation now: open or not, when it closes, and which message tags may be sent. */
export async function messengerWindow(db: Db, conversationId: string) {
  const last = await lastCustomerMessageAt(db, { conversationId, provider: 'messenger' });
  const now = Date.now();
  const closesAt = last ? new Date(last.getTime() + WINDOW_MS) : null;
  const humanAgent = Boolean(last && last.getTime() + HUMAN_AGENT_MS > now);
  return {
    open: Boolean(closesAt && closesAt.getTime() > now),
    closesAt: closesAt?.toISOString() ?? null,
    tags: MESSENGER_TAGS.filter((t) => t !== 'HUMAN_AGENT' || humanAgent),
  };
}

/** The PSID (IGSID) a reply in this conversation goes to, and our page id. */
export function messengerRecipient(db: Db, conversationId: string) {
  return customerAddressIn(db, { conversationId, provider: 'messenger', channel: 'messenger' });
}
