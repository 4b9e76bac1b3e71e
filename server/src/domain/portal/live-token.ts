import type { Db } from '../../storage/db';
import { settingSecret, sign, uuidOfHex, verify } from '../security/signed-token';
import type { PortalCustomer } from './sessions';

const secretOf = (db: Db) => settingSecret(db, 'portal.live_secret');

/**
 * The portal page's credential for its live socket. The session token itself stays in its httpOnly
 * cookie (scripts never see it); this one names the session, is signed, and can do nothing but read
 * the customer's own rooms. It lives exactly as long as the session: every (re)connect checks that the
 * session is still current, so signing out (or out everywhere) ends the live updates too.
 */
export async function portalLiveToken(db: Db, { sessionId }: { sessionId: string }): Promise<string> {
  const hex = sessionId.replace(/-/g, '');
  return `pl_${hex}${sign(await secretOf(db), 'portal-live', hex)}`;
}

/** The customer behind a live token, while its session is current; undefined for anything else. */
export async function resolvePortalLiveToken(db: Db, token: string): Promise<PortalCustomer | undefined> {
  const m = /^pl_([0-9a-f]{32})([0-9a-f]{32})$/.exec(token);
  if (!m) return undefined;
  if (verify(await secretOf(db), 'portal-live', m[1]!, m[2]!) !== 'valid') return undefined;
  const row = await db
    .selectFrom('portal_sessions as s')
    .innerJoin('contacts as c', 'c.id', 's.contact_id')
    .select(['s.id', 's.contact_id'])
    .where('s.id', '=', uuidOfHex(m[1]!))
    .where('s.expires_at', '>', new Date())
    .where('c.erased_at', 'is', null)
    .executeTakeFirst();
  return row ? { contactId: row.contact_id, sessionId: row.id } : undefined;
}
