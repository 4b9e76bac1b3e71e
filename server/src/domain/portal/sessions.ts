import type { Db } from '../../storage/db';
import type { ClientInfo } from '../auth/sessions';
import { hashToken, newToken } from '../auth/tokens';

/** A portal session lasts this long (a customer comes back now and then, not every day). */
export const PORTAL_SESSION_DAYS = 30;

export interface PortalCustomer {
  contactId: string;
  sessionId: string;
}

export type OpenPortalSessionProps = { contactId: string; via: 'link' | 'password' | 'identity'; client: ClientInfo };

/** A new customer session: its own table and token (`ps_`), never an agent session. */
export async function openPortalSession(db: Db, { contactId, via, client }: OpenPortalSessionProps) {
  const token = newToken('ps_');
  const expiresAt = new Date(Date.now() + PORTAL_SESSION_DAYS * 86_400_000);
  await db
    .insertInto('portal_sessions')
    .values({
      contact_id: contactId,
      token_hash: hashToken(token),
      via,
      ip: client.ip ?? null,
      user_agent: client.userAgent?.slice(0, 500) ?? null,
      expires_at: expiresAt,
    })
    .execute();
  return { sessionToken: token, expiresAt: expiresAt.toISOString() };
}

/** The customer behind a portal token, if it is current and the contact was not erased. */
export async function resolvePortalSession(db: Db, token: string): Promise<PortalCustomer | undefined> {
  if (!token.startsWith('ps_') || token.length > 200) return undefined;
  const row = await db
    .updateTable('portal_sessions as s')
    .from('contacts as c')
    .set({ last_seen_at: new Date() })
    .whereRef('c.id', '=', 's.contact_id')
    .where('s.token_hash', '=', hashToken(token))
    .where('s.expires_at', '>', new Date())
    .where('c.erased_at', 'is', null)
    .returning(['s.id', 's.contact_id'])
    .executeTakeFirst();
  return row ? { contactId: row.contact_id, sessionId: row.id } : undefined;
}

export async function endPortalSession(db: Db, { sessionId }: { sessionId: string }): Promise<void> {
  await db.deleteFrom('portal_sessions').where('id', '=', sessionId).execute();
}

/** "Sign out everywhere": every session of this customer ends, and unused sign-in links stop working. */
export async function endAllPortalSessions(db: Db, { contactId }: { contactId: string }): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const ended = await trx.deleteFrom('portal_sessions').where('contact_id', '=', contactId).executeTakeFirst();
    await trx.deleteFrom('portal_links').where('contact_id', '=', contactId).where('used_at', 'is', null).execute();
    return Number(ended.numDeletedRows);
  });
}
