import { AppError } from '@autocrm/shared';
import type { Db } from '../../storage/db';
import { hashToken, newToken } from '../auth/tokens';
import { rememberIdentities } from '../contacts/identities';
import { verifyIdentity, verifyIdentityToken } from './identity';
import { inboxByWebsiteToken } from './settings';
import type { VisitorContext } from './visitors';

export interface ClaimedUser {
  id?: string | undefined;
  email?: string | undefined;
  name?: string | undefined;
  hash?: string | undefined;
  /** A JWT signed with the inbox's identity secret (sub = user id, exp required). */
  token?: string | undefined;
  attributes?: Record<string, string | number | boolean> | undefined;
}

/**
 * A new visitor token for a website. With a user id signed by the inbox's identity secret the visitor
 * is that contact (found by external id, created if missing) and sees their history. Without a valid
 * signature, whatever the page claims goes on a fresh contact of its own, kept as unverified
 * attributes: a claimed email or id never opens somebody else's conversations.
 */
export async function createWidgetVisitor(db: Db, props: { websiteToken: string; user?: ClaimedUser | undefined }) {
  const inbox = await inboxByWebsiteToken(db, props.websiteToken);
  // Two ways for a site to vouch for its user: an HMAC of the user id, or a signed, expiring JWT.
  const fromToken = props.user?.token ? await verifyIdentityToken(inbox.identitySecret, props.user.token) : null;
  const user: ClaimedUser | undefined = fromToken
    ? { ...props.user, id: fromToken.id, email: fromToken.email ?? props.user?.email, name: fromToken.name ?? props.user?.name }
    : props.user;
  const verified =
    !!fromToken || (!!user?.id && verifyIdentity({ secret: inbox.identitySecret, userId: user.id, hash: user.hash }));
  if (inbox.widget.identityRequired && !verified) {
    throw new AppError('forbidden', 'this website requires a verified user (identity hash or token)');
  }
  const visitorToken = newToken('vt_');
  return db.transaction().execute(async (trx) => {
    let contactId: string;
    if (verified && user?.id) {
      // The external id is the inbox's: look it up in this inbox's identities. A contact with that
      // external id made through the API (verified in no inbox yet) is joined; one that another
      // inbox's verified user already is stays out of reach.
      const externalId = user.id;
      const known = await trx
        .selectFrom('widget_identities')
        .select('contact_id as id')
        .where('inbox_id', '=', inbox.id)
        .where('external_id', '=', externalId)
        .executeTakeFirst();
      const unclaimed = known
        ? undefined
        : await trx
            .selectFrom('contacts')
            .select('id')
            .where('external_id', '=', externalId)
            .where(({ not, exists, selectFrom }) =>
              not(
                exists(selectFrom('widget_identities as w').select('w.contact_id').whereRef('w.contact_id', '=', 'contacts.id')),
              ),
            )
            .executeTakeFirst();
      const existing = known ?? unclaimed;
      if (existing) {
        contactId = existing.id;
        if (user.name) await trx.updateTable('contacts').set({ name: user.name }).where('id', '=', contactId).execute();
      } else {
        // The verified email goes on the contact only if nobody else has it (emails are unique).
        const taken = user.email
          ? await trx.selectFrom('contacts').select('id').where('email', '=', user.email.toLowerCase()).executeTakeFirst()
          : undefined;
        // The external id column is unique workspace-wide: another inbox's user may hold it already.
        const idTaken = await trx.selectFrom('contacts').select('id').where('external_id', '=', externalId).executeTakeFirst();
        const row = await trx
          .insertInto('contacts')
          .values({
            name: user.name ?? null,
            email: user.email && !taken ? user.email.toLowerCase() : null,
            phone: null,
            external_id: idTaken ? null : externalId,
            attributes: JSON.stringify(idTaken ? { ...(user.attributes ?? {}), externalId } : (user.attributes ?? {})),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        contactId = row.id;
      }
      await trx
        .insertInto('widget_identities')
        .values({ inbox_id: inbox.id, external_id: externalId, contact_id: contactId })
        .onConflict((oc) => oc.doNothing())
        .execute();
      const holder = await trx
        .selectFrom('contacts')
        .select(['email', 'external_id'])
        .where('id', '=', contactId)
        .executeTakeFirst();
      await rememberIdentities(trx, {
        contactId,
        identities: [
          { kind: 'widget', value: externalId, inboxId: inbox.id, verified: true },
          ...(holder?.email ? [{ kind: 'email' as const, value: holder.email }] : []),
          ...(holder?.external_id ? [{ kind: 'external' as const, value: holder.external_id, verified: true }] : []),
        ],
      });
    } else {
      const claimed: Record<string, unknown> = { ...(user?.attributes ?? {}) };
      if (user?.email) claimed.unverifiedEmail = user.email;
      if (user?.id) claimed.unverifiedUserId = user.id;
      const row = await trx
        .insertInto('contacts')
        .values({ name: user?.name ?? null, email: null, phone: null, external_id: null, attributes: JSON.stringify(claimed) })
        .returning('id')
        .executeTakeFirstOrThrow();
      contactId = row.id;
    }
    const visitor = await trx
      .insertInto('visitors')
      .values({ inbox_id: inbox.id, contact_id: contactId, token_hash: hashToken(visitorToken) })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { visitorToken, visitorId: visitor.id, contactId, inboxId: inbox.id, verified };
  });
}

export type UpdateVisitorProfileProps = {
  visitor: VisitorContext;
  name?: string | undefined;
  email?: string | undefined;
  attributes?: Record<string, string | number | boolean> | undefined;
};

/**
 * What a visitor tells about themselves (pre-chat form, offline email capture, identify without a
 * hash): kept as unverified attributes on their own contact, plus the name when the contact has none.
 */
export async function updateVisitorProfile(db: Db, { visitor, ...props }: UpdateVisitorProfileProps) {
  await db.transaction().execute(async (trx) => {
    const contact = await trx
      .selectFrom('contacts')
      .select(['name', 'attributes', 'external_id'])
      .where('id', '=', visitor.contactId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const attributes: Record<string, unknown> = { ...contact.attributes, ...(props.attributes ?? {}) };
    if (props.email) attributes.unverifiedEmail = props.email;
    await trx
      .updateTable('contacts')
      .set({
        attributes: JSON.stringify(attributes),
        ...(props.name && (!contact.name || !contact.external_id) ? { name: props.name } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', visitor.contactId)
      .execute();
  });
}
