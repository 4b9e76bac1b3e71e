import type { Db } from '../../storage/db';

/** WhatsApp's customer service window: free-form replies only within 24 hours of the customer's last message. */
export const WINDOW_MS = 24 * 60 * 60 * 1000;

/** When the window of this conversation closes (null: the customer never wrote, so it is closed). */
export async function windowClosesAt(db: Db, conversationId: string): Promise<Date | null> {
  const last = await db
    .selectFrom('channel_messages')
    .select('created_at')
    .where('conversation_id', '=', conversationId)
    .where('provider', '=', 'whatsapp')
    .where('direction', '=', 'in')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return last ? new Date(new Date(last.created_at).getTime() + WINDOW_MS) : null;
}

/** The customer's WhatsApp number in this conversation: where they last wrote from. */
export async function customerAddress(db: Db, conversationId: string): Promise<{ from: string; to: string } | undefined> {
  const last = await db
    .selectFrom('channel_messages')
    .select(['from_address', 'to_address'])
    .where('conversation_id', '=', conversationId)
    .where('provider', '=', 'whatsapp')
    .where('direction', '=', 'in')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return last ? { from: last.from_address, to: last.to_address } : undefined;
}

/** Fills {{1}}, {{2}} ... of a template body; every placeholder needs its parameter, and no more. */
export function renderTemplate(body: string, params: string[]): { text: string } | { error: string } {
  const used = new Set([...body.matchAll(/\{\{(\d+)\}\}/g)].map((m) => Number(m[1])));
  if (used.size !== params.length || [...used].some((n) => n < 1 || n > params.length))
    return { error: `this template takes ${used.size} parameter${used.size === 1 ? '' : 's'}, ${params.length} given` };
  return { text: body.replace(/\{\{(\d+)\}\}/g, (_, n: string) => params[Number(n) - 1]!) };
}
