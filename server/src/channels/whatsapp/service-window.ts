import type { Db } from '../../storage/db';
import { customerAddressIn, lastCustomerMessageAt } from '../messaging/customer-window';

/** WhatsApp's customer service window: free-form replies only within 24 hours of the customer's last message. */
export const WINDOW_MS = 24 * 60 * 60 * 1000;

/** When the window of this conversation closes (null: the customer never wrote, so it is closed). */
export async function windowClosesAt(db: Db, conversationId: string): Promise<Date | null> {
  const last = await lastCustomerMessageAt(db, { conversationId, provider: 'whatsapp' });
  return last ? new Date(last.getTime() + WINDOW_MS) : null;
}

/** The customer's WhatsApp number in this conversation: where they last wrote from, else their identity. */
export function customerAddress(db: Db, conversationId: string): Promise<{ from: string; to: string } | undefined> {
  return customerAddressIn(db, { conversationId, provider: 'whatsapp', channel: 'whatsapp' });
}

/** Fills {{1}}, {{2}} ... of a template body; every placeholder needs its parameter, and no more. */
export function renderTemplate(body: string, params: string[]): { text: string } | { error: string } {
  const used = new Set([...body.matchAll(/\{\{(\d+)\}\}/g)].map((m) => Number(m[1])));
  if (used.size !== params.length || [...used].some((n) => n < 1 || n > params.length))
    return { error: `this template takes ${used.size} parameter${used.size === 1 ? '' : 's'}, ${params.length} given` };
  return { text: body.replace(/\{\{(\d+)\}\}/g, (_, n: string) => params[Number(n) - 1]!) };
}
