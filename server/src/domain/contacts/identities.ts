import { AppError } from '@autocrm/shared';
import type { ContactIdentityKind } from '../../../../db/types';
import type { Db } from '../../storage/db';
import { assertCanSeeContact } from '../access/gate';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';

// A contact's identities: every address the customer is known by on a channel. An inbound message of
// any channel finds its contact here; merging contacts moves them. Page-scoped ids (a Messenger PSID,
// an Instagram IGSID, a widget visitor's verified id) belong to one inbox; an email address or phone
// number is one identity across the workspace.

export const IDENTITY_KINDS = ['email', 'phone', 'whatsapp', 'messenger', 'instagram', 'widget', 'external'] as const;
const INBOX_SCOPED: ReadonlySet<ContactIdentityKind> = new Set(['messenger', 'instagram', 'widget']);

export interface IdentityKey {
  kind: ContactIdentityKind;
  value: string;
  inboxId?: string | null | undefined;
}

/** The form an address is stored and compared in: emails lower-cased, phone numbers without spacing. */
export function normalizeIdentity(kind: ContactIdentityKind, value: string): string {
  const v = value.trim();
  if (kind === 'email') return v.toLowerCase();
  if (kind === 'phone') return v.replace(/[\s().-]/g, '');
  if (kind === 'whatsapp') return `+${v.replace(/[\s().+-]/g, '')}`;
  return v;
}

const inboxOf = (k: IdentityKey) => (INBOX_SCOPED.has(k.kind) ? (k.inboxId ?? null) : null);

/** The contact (never an erased one) holding the first of these identities that anyone holds. */
export async function findContactByIdentity(trx: Db, keys: IdentityKey[]): Promise<string | undefined> {
  for (const k of keys) {
    const inboxId = inboxOf(k);
    let q = trx
      .selectFrom('contact_identities as ci')
      .innerJoin('contacts as c', 'c.id', 'ci.contact_id')
      .select('ci.contact_id')
      .where('ci.kind', '=', k.kind)
      .where('ci.value', '=', normalizeIdentity(k.kind, k.value))
      .where('c.erased_at', 'is', null);
    q = inboxId ? q.where('ci.inbox_id', '=', inboxId) : q.where('ci.inbox_id', 'is', null);
    const row = await q.executeTakeFirst();
    if (row) return row.contact_id;
  }
  return undefined;
}

/**
 * Records that a contact is known by these identities (in the caller's transaction). One already held
 * by another contact stays theirs: the first owner keeps an address until an agent merges the two.
 */
export async function rememberIdentities(
  trx: Db,
  props: { contactId: string; identities: (IdentityKey & { verified?: boolean })[] },
): Promise<void> {
  const rows = props.identities
    .filter((k) => k.value.trim())
    .map((k) => ({
      contact_id: props.contactId,
      kind: k.kind,
      value: normalizeIdentity(k.kind, k.value),
      inbox_id: inboxOf(k),
      verified: k.verified ?? false,
    }));
  if (rows.length)
    await trx
      .insertInto('contact_identities')
      .values(rows)
      .onConflict((oc) => oc.doNothing())
      .execute();
}

/** The identities a contact's own columns name (email, phone, external id), kept when they change. */
export async function rememberColumnIdentities(
  trx: Db,
  contact: { id: string; email: string | null; phone: string | null; externalId: string | null },
): Promise<void> {
  await rememberIdentities(trx, {
    contactId: contact.id,
    identities: [
      ...(contact.email ? [{ kind: 'email' as const, value: contact.email }] : []),
      ...(contact.phone ? [{ kind: 'phone' as const, value: contact.phone }] : []),
      ...(contact.externalId ? [{ kind: 'external' as const, value: contact.externalId, verified: true }] : []),
    ],
  });
}

/** Merging: the duplicate's identities become the survivor's (one both hold is kept once). */
export async function moveIdentities(trx: Db, props: { fromContactId: string; toContactId: string }): Promise<number> {
  const rows = await trx
    .selectFrom('contact_identities')
    .select(['kind', 'value', 'inbox_id', 'verified'])
    .where('contact_id', '=', props.fromContactId)
    .execute();
  await trx.deleteFrom('contact_identities').where('contact_id', '=', props.fromContactId).execute();
  if (rows.length)
    await trx
      .insertInto('contact_identities')
      .values(rows.map((r) => ({ ...r, contact_id: props.toContactId })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  return rows.length;
}

export interface ContactIdentityView {
  id: string;
  kind: ContactIdentityKind;
  value: string;
  inboxId: string | null;
  verified: boolean;
  createdAt: string;
}

const present = (r: {
  id: string;
  kind: ContactIdentityKind;
  value: string;
  inbox_id: string | null;
  verified: boolean;
  created_at: Date;
}): ContactIdentityView => ({
  id: r.id,
  kind: r.kind,
  value: r.value,
  inboxId: r.inbox_id,
  verified: r.verified,
  createdAt: new Date(r.created_at).toISOString(),
});

export async function listContactIdentities(db: Db, props: { actor: Actor; contactId: string }) {
  await assertCanSeeContact(db, props);
  const rows = await db
    .selectFrom('contact_identities')
    .selectAll()
    .where('contact_id', '=', props.contactId)
    .orderBy('created_at')
    .orderBy('kind')
    .execute();
  return rows.map(present);
}

/** An agent adds an address by hand (unverified); one another contact holds is a conflict: merge them. */
export async function addContactIdentity(
  db: Db,
  props: { actor: Actor; contactId: string; input: { kind: ContactIdentityKind; value: string; inboxId?: string | undefined } },
): Promise<ContactIdentityView> {
  const { actor, contactId, input } = props;
  return db.transaction().execute(async (trx) => {
    await assertCanSeeContact(trx, { actor, contactId });
    if (INBOX_SCOPED.has(input.kind) && !input.inboxId)
      throw new AppError('validation_failed', `inboxId: a ${input.kind} id belongs to one inbox`, [
        { path: 'inboxId', message: 'required for this kind' },
      ]);
    if (input.inboxId) {
      const inbox = await trx.selectFrom('inboxes').select('id').where('id', '=', input.inboxId).executeTakeFirst();
      if (!inbox) throw new AppError('validation_failed', 'inboxId: unknown inbox', [{ path: 'inboxId', message: 'unknown' }]);
    }
    const key = { kind: input.kind, value: input.value, inboxId: input.inboxId };
    const owner = await findContactByIdentity(trx, [key]);
    if (owner && owner !== contactId)
      throw new AppError('conflict', 'another contact is known by this address: merge the two contacts instead', [
        { path: 'value', message: 'belongs to another contact' },
      ]);
    await rememberIdentities(trx, { contactId, identities: [key] });
    const inboxId = inboxOf(key);
    let q = trx
      .selectFrom('contact_identities')
      .selectAll()
      .where('contact_id', '=', contactId)
      .where('kind', '=', input.kind)
      .where('value', '=', normalizeIdentity(input.kind, input.value));
    q = inboxId ? q.where('inbox_id', '=', inboxId) : q.where('inbox_id', 'is', null);
    const row = await q.executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor,
      action: 'contact.identity_added',
      entityType: 'contact',
      entityId: contactId,
      after: present(row),
    });
    return present(row);
  });
}

export async function removeContactIdentity(db: Db, props: { actor: Actor; contactId: string; identityId: string }) {
  const { actor, contactId, identityId } = props;
  await db.transaction().execute(async (trx) => {
    await assertCanSeeContact(trx, { actor, contactId });
    const row = await trx
      .deleteFrom('contact_identities')
      .where('id', '=', identityId)
      .where('contact_id', '=', contactId)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AppError('not_found', 'identity not found');
    await recordAudit(trx, {
      actor,
      action: 'contact.identity_removed',
      entityType: 'contact',
      entityId: contactId,
      before: present(row),
    });
  });
}
