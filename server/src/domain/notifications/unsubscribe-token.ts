import type { Db } from '../../storage/db';
import { settingSecret, sign, uuidOfHex, verify } from '../security/signed-token';

const secretOf = (db: Db) => settingSecret(db, 'notifications.unsubscribe_secret');

/** A token naming one contact, signed: only someone who received our mail can unsubscribe that contact. */
export async function unsubscribeToken(db: Db, { contactId }: { contactId: string }): Promise<string> {
  const hex = contactId.replace(/-/g, '');
  return `u${hex}${sign(await secretOf(db), 'unsub', hex)}`;
}

/** The contact an unsubscribe token names, or undefined if we did not make it. */
export async function contactOfUnsubscribeToken(db: Db, { token }: { token: string }): Promise<string | undefined> {
  const m = /^u([0-9a-f]{32})([0-9a-f]{24})$/.exec(token.toLowerCase());
  if (!m) return undefined;
  return verify(await secretOf(db), 'unsub', m[1]!, m[2]!) === 'valid' ? uuidOfHex(m[1]!) : undefined;
}
