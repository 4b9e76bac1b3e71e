import { AppError, type Contact, type ContactInput } from '@autocrm/shared';
import type { ContactRow } from '../../../../db/types';
import { emit } from '../../events/outbox';
import type { Db } from '../../storage/db';
import { assertCanSeeContact, contactVisibleIn, visibleInboxIds } from '../access/gate';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';
import { applyCustomFieldChanges } from '../conversations/custom-fields';
import { cursorDate, cursorUuid, decodeCursor, encodeCursor } from '../pagination';
import { assertCompany, companyForEmail } from './company-of-email';
import { findContactByIdentity, rememberColumnIdentities } from './identities';

/** A contact as the API shows it; `company_name` when the query joined it. */
export function presentContact(r: ContactRow & { company_name?: string | null }): Contact {
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    phone: r.phone,
    externalId: r.external_id,
    attributes: r.attributes,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    visitorInfo: r.visitor_context ?? null,
    companyId: r.company_id,
    ...(r.company_name !== undefined ? { companyName: r.company_name } : {}),
    customFields: r.custom_fields ?? {},
  };
}

/** Contacts with their company's name (for lists and cards). */
const contactsWithCompany = (db: Db) =>
  db
    .selectFrom('contacts')
    .selectAll('contacts')
    .select((eb) =>
      eb.selectFrom('companies').select('companies.name').whereRef('companies.id', '=', 'contacts.company_id').as('company_name'),
    );

async function assertUnique(trx: Db, input: { email?: string | null; externalId?: string | null }, exceptId?: string) {
  for (const [column, value, path] of [
    ['email', input.email, 'email'],
    ['external_id', input.externalId, 'externalId'],
  ] as const) {
    if (!value) continue;
    let q = trx.selectFrom('contacts').select('id').where(column, '=', value);
    if (exceptId) q = q.where('id', '<>', exceptId);
    if (await q.executeTakeFirst()) {
      throw new AppError('conflict', `${path}: another contact already has this value`, [{ path, message: 'already in use' }]);
    }
  }
}

export type CreateContactProps = { actor: Actor; input: ContactInput };

export async function createContact(trx: Db, { actor, input }: CreateContactProps): Promise<Contact> {
  await assertUnique(trx, input);
  if (input.companyId) await assertCompany(trx, input.companyId);
  const customFields = await applyCustomFieldChanges(trx, {
    current: {},
    changes: input.customFields ?? {},
    opts: { creating: false },
    entity: 'contact',
  });
  const row = await trx
    .insertInto('contacts')
    .values({
      name: input.name ?? null,
      email: input.email ?? null,
      phone: input.phone ?? null,
      external_id: input.externalId ?? null,
      attributes: JSON.stringify(input.attributes ?? {}),
      custom_fields: JSON.stringify(customFields),
      // Left out, the contact joins the company of its email's domain; null means none on purpose.
      company_id: input.companyId !== undefined ? input.companyId : await companyForEmail(trx, input.email),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const contact = presentContact(row);
  await rememberColumnIdentities(trx, contact);
  await emit(trx, 'contact.created', { contact });
  await recordAudit(trx, { actor, action: 'contact.created', entityType: 'contact', entityId: row.id, after: contact });
  return contact;
}

export type FindOrCreateContactProps = { actor: Actor; input: ContactInput };

/**
 * The contact with this email or external id, or a new one: how channels and the API attach customers.
 * Only a contact the actor may see is matched.
 */
export async function findOrCreateContact(trx: Db, { actor, input }: FindOrCreateContactProps): Promise<Contact> {
  if (input.externalId || input.email) {
    let q = trx.selectFrom('contacts').selectAll();
    q = input.externalId ? q.where('external_id', '=', input.externalId) : q.where('email', '=', input.email ?? '');
    const visible = await visibleInboxIds(trx, actor);
    if (visible) q = q.where(contactVisibleIn(visible));
    const row = await q.executeTakeFirst();
    if (row) return presentContact(row);
    // An address the contact is known by beyond its own columns (a second email, or one a merge moved).
    const owner = await findContactByIdentity(trx, [
      ...(input.externalId ? [{ kind: 'external' as const, value: input.externalId }] : []),
      ...(input.email ? [{ kind: 'email' as const, value: input.email }] : []),
    ]);
    if (owner) {
      let byIdentity = trx.selectFrom('contacts').selectAll().where('id', '=', owner);
      if (visible) byIdentity = byIdentity.where(contactVisibleIn(visible));
      const found = await byIdentity.executeTakeFirst();
      if (found) return presentContact(found);
    }
  }
  // A match the actor may not see is not attached (that would show it to them): creating it anew
  // answers the same conflict POST /contacts gives for a taken email, naming nobody.
  return createContact(trx, { actor, input });
}

export type ContactChanges = {
  name?: string | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  externalId?: string | null | undefined;
  attributes?: Record<string, string | number | boolean | null> | undefined;
  companyId?: string | null | undefined;
  customFields?: Record<string, unknown> | undefined;
};

export type UpdateContactProps = { actor: Actor; id: string; changes: ContactChanges };

export async function updateContact(db: Db, { actor, id, changes }: UpdateContactProps): Promise<Contact> {
  return db.transaction().execute((trx) => updateContactIn(trx, { actor, id, changes }));
}

export type UpdateContactInProps = { actor: Actor; id: string; changes: ContactChanges };

/** updateContact inside the caller's transaction (an import updates many in one). */
export async function updateContactIn(trx: Db, { actor, id, changes }: UpdateContactInProps): Promise<Contact> {
  await assertCanSeeContact(trx, { actor, contactId: id });
  const before = await trx.selectFrom('contacts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!before) throw new AppError('not_found', 'contact not found');
  await assertUnique(trx, changes, id);
  // Attributes merge; a null value removes that attribute.
  const attributes = { ...before.attributes };
  for (const [k, v] of Object.entries(changes.attributes ?? {})) {
    if (v === null) delete attributes[k];
    else attributes[k] = v;
  }
  if (changes.companyId) await assertCompany(trx, changes.companyId);
  const customFields = changes.customFields
    ? await applyCustomFieldChanges(trx, {
        current: before.custom_fields ?? {},
        changes: changes.customFields,
        opts: { creating: false },
        entity: 'contact',
      })
    : null;
  const row = await trx
    .updateTable('contacts')
    .set({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.email !== undefined ? { email: changes.email } : {}),
      ...(changes.phone !== undefined ? { phone: changes.phone } : {}),
      ...(changes.externalId !== undefined ? { external_id: changes.externalId } : {}),
      attributes: JSON.stringify(attributes),
      ...(customFields ? { custom_fields: JSON.stringify(customFields) } : {}),
      ...(changes.companyId !== undefined ? { company_id: changes.companyId } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const contact = presentContact(row);
  await rememberColumnIdentities(trx, contact);
  await emit(trx, 'contact.updated', { contact, changed: Object.keys(changes) });
  await recordAudit(trx, {
    actor,
    action: 'contact.updated',
    entityType: 'contact',
    entityId: id,
    before: presentContact(before),
    after: contact,
  });
  return contact;
}

export type GetContactProps = { actor: Actor; id: string };

export async function getContact(db: Db, { actor, id }: GetContactProps): Promise<Contact> {
  await assertCanSeeContact(db, { actor, contactId: id });
  const row = await contactsWithCompany(db).where('contacts.id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found', 'contact not found');
  return presentContact(row);
}

export type ListContactsProps = {
  actor: Actor;
  q?: string | undefined;
  companyId?: string | undefined;
  limit: number;
  cursor?: string | undefined;
};

export async function listContacts(db: Db, { actor, ...props }: ListContactsProps) {
  let q = contactsWithCompany(db);
  if (props.companyId) q = q.where('contacts.company_id', '=', props.companyId);
  const visible = await visibleInboxIds(db, actor);
  if (visible) q = q.where(contactVisibleIn(visible));
  if (props.q) {
    const like = `%${escapeLike(props.q)}%`;
    q = q.where((eb) => eb.or([eb('name', 'ilike', like), eb('email', 'ilike', like), eb('phone', 'ilike', like)]));
  }
  if (props.cursor) {
    const [createdAt, id] = decodeCursor(props.cursor, 2);
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '<', cursorDate(createdAt)),
        eb.and([eb('created_at', '=', cursorDate(createdAt)), eb('id', '<', cursorUuid(id))]),
      ]),
    );
  }
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(props.limit + 1)
    .execute();
  const page = rows.slice(0, props.limit);
  const last = page.at(-1);
  return {
    data: page.map(presentContact),
    nextCursor: rows.length > props.limit && last ? encodeCursor([last.created_at.toISOString(), last.id]) : null,
  };
}

/** LIKE patterns treat the user's %, _ and \ as literal characters. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
