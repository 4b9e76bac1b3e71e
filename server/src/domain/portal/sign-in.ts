import { AppError } from '@autocrm/shared';
import type { Db } from '../../storage/db';
import { queueAccountMail } from '../auth/account-mail';
import { hashPassword, verifyPassword } from '../auth/passwords';
import type { ClientInfo } from '../auth/sessions';
import { hashToken } from '../auth/tokens';
import { type ClaimedUser, createWidgetVisitor } from '../widget/identify-visitor';
import { verifyIdentity, verifyIdentityToken } from '../widget/identity';
import { inboxByWebsiteToken } from '../widget/settings';
import { openPortalSession } from './sessions';

/** The one answer to "mail me a link", whether or not the address belongs to anybody. */
export const PORTAL_LINK_ANSWER = 'If this address is known to us, a sign-in link is on its way. It works once, for 15 minutes.';

const contactByEmail = (db: Db, email: string) =>
  db
    .selectFrom('contacts')
    .select(['id', 'email'])
    .where('email', '=', email.trim().toLowerCase())
    .where('erased_at', 'is', null)
    .executeTakeFirst();

/**
 * "Mail me a sign-in link": for a contact with this (verified) address a link row is queued for the
 * account-mail sender, which mints the token when it sends (only its hash is stored). For anybody
 * else nothing happens; the caller answers the same either way, and neither waits for SMTP.
 */
export async function requestPortalLink(db: Db, { email }: { email: string }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const contact = await contactByEmail(trx, email);
    if (!contact?.email) return;
    const row = await trx
      .insertInto('portal_links')
      .values({ contact_id: contact.id, email: contact.email })
      .returning('id')
      .executeTakeFirstOrThrow();
    await queueAccountMail(trx, { kind: 'portal_link', refId: row.id });
  });
}

export type RedeemPortalLinkProps = { token: string; client: ClientInfo };

/** Signs in with a mailed link: once, within its 15 minutes; the contact's address counts as verified. */
export async function redeemPortalLink(db: Db, { token, client }: RedeemPortalLinkProps) {
  const contactId = await db.transaction().execute(async (trx) => {
    const link = await trx
      .selectFrom('portal_links')
      .select(['id', 'contact_id', 'used_at', 'expires_at'])
      .where('token_hash', '=', hashToken(token))
      .forUpdate()
      .executeTakeFirst();
    if (!link || link.used_at) throw new AppError('link_invalid', 'this sign-in link is not valid (used already or replaced)');
    if (!link.expires_at || link.expires_at.getTime() < Date.now())
      throw new AppError('link_expired', 'this sign-in link has expired; ask for a new one');
    await trx.updateTable('portal_links').set({ used_at: new Date(), token_hash: null }).where('id', '=', link.id).execute();
    return link.contact_id;
  });
  return openPortalSession(db, { contactId, via: 'link', client });
}

export type PasswordSignInProps = { email: string; password: string; client: ClientInfo };

/** The optional password: the same refusal for an unknown address, no password, or a wrong one. */
export async function signInWithPortalPassword(db: Db, { email, password, client }: PasswordSignInProps) {
  const row = await db
    .selectFrom('contacts as c')
    .innerJoin('portal_passwords as p', 'p.contact_id', 'c.id')
    .select(['c.id', 'p.password_hash'])
    .where('c.email', '=', email.trim().toLowerCase())
    .where('c.erased_at', 'is', null)
    .executeTakeFirst();
  // Hash even when there is nobody, so the answer takes as long either way.
  let ok = false;
  if (row) ok = await verifyPassword(row.password_hash, password);
  else await hashPassword(password);
  if (!row || !ok) throw new AppError('invalid_credentials', 'wrong email or password');
  return openPortalSession(db, { contactId: row.id, via: 'password', client });
}

export async function setPortalPassword(db: Db, { contactId, password }: { contactId: string; password: string }) {
  const passwordHash = await hashPassword(password);
  await db
    .insertInto('portal_passwords')
    .values({ contact_id: contactId, password_hash: passwordHash })
    .onConflict((oc) => oc.column('contact_id').doUpdateSet({ password_hash: passwordHash, updated_at: new Date() }))
    .execute();
}

export async function removePortalPassword(db: Db, { contactId }: { contactId: string }) {
  await db.deleteFrom('portal_passwords').where('contact_id', '=', contactId).execute();
}

export type IdentitySignInProps = { websiteToken: string; user: ClaimedUser; client: ClientInfo };

/**
 * Arriving from the host site already signed in: the same identity the widget accepts (an HMAC of the
 * user id, or a signed JWT), checked by the same code, so the portal and the widget are one contact.
 */
export async function signInWithIdentity(db: Db, { websiteToken, user, client }: IdentitySignInProps) {
  const inbox = await inboxByWebsiteToken(db, websiteToken);
  const valid = user.token
    ? !!(await verifyIdentityToken(inbox.identitySecret, user.token))
    : !!user.id && verifyIdentity({ secret: inbox.identitySecret, userId: user.id, hash: user.hash });
  // Checked before anything is written: an unsigned claim must not leave a contact behind.
  if (!valid) throw new AppError('unauthenticated', 'the identity signature is not valid');
  const visitor = await createWidgetVisitor(db, { websiteToken, user });
  if (!visitor.verified) throw new AppError('unauthenticated', 'the identity signature is not valid');
  return openPortalSession(db, { contactId: visitor.contactId, via: 'identity', client });
}
