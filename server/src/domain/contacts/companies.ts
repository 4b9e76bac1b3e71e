import { AppError, type Company, type CompanyInput, type CompanyUpdate } from '@autocrm/shared';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { Db } from '../../storage/db';
import { contactVisibleIn, visibleInboxIds } from '../access/gate';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';
import { cursorUuid, decodeCursor, encodeCursor } from '../pagination';
import { escapeLike, presentContact } from './contacts';

// Companies (organisations): a contact belongs to at most one. A company with a domain takes in every
// new contact whose email is at that domain (and, when the domain is set, the existing ones that have
// no company yet); an agent can also set or clear a contact's company by hand.

type CompanyRow = { id: string; name: string; domain: string | null; notes: string; created_at: Date; updated_at: Date };

const present = (r: CompanyRow, contacts: number): Company => ({
  id: r.id,
  name: r.name,
  domain: r.domain,
  notes: r.notes,
  contacts,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

async function countContacts(db: Db, id: string): Promise<number> {
  const r = await db
    .selectFrom('contacts')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('company_id', '=', id)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function assertDomainFree(trx: Db, domain: string | null | undefined, exceptId?: string) {
  if (!domain) return;
  let q = trx.selectFrom('companies').select('id').where('domain', '=', domain);
  if (exceptId) q = q.where('id', '<>', exceptId);
  if (await q.executeTakeFirst())
    throw new AppError('conflict', 'domain: another company has this domain', [{ path: 'domain', message: 'already in use' }]);
}

/** Contacts at `domain` with no company join this one; returns how many did. */
async function adoptByDomain(trx: Db, id: string, domain: string): Promise<number> {
  const r = await trx
    .updateTable('contacts')
    .set({ company_id: id, updated_at: new Date() })
    .where('company_id', 'is', null)
    .where('erased_at', 'is', null)
    .where(sql<boolean>`lower(split_part(email, '@', 2)) = ${domain}`)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export type ListCompaniesProps = { q?: string | undefined; limit: number; cursor?: string | undefined };

/** Companies by name (then id), with how many contacts each has. */
export async function listCompanies(db: Db, props: ListCompaniesProps) {
  let q = db
    .selectFrom('companies')
    .selectAll('companies')
    .select((eb) =>
      eb
        .selectFrom('contacts')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('contacts.company_id', '=', 'companies.id')
        .as('contact_count'),
    );
  if (props.q) {
    const like = `%${escapeLike(props.q)}%`;
    q = q.where((eb) => eb.or([eb('name', 'ilike', like), eb('domain', 'ilike', like)]));
  }
  if (props.cursor) {
    const [name, id] = decodeCursor(props.cursor, 2);
    q = q.where(sql<boolean>`(lower(companies.name), companies.id) > (${name}, ${cursorUuid(id)}::uuid)`);
  }
  const rows = await q
    .orderBy(sql`lower(companies.name)`)
    .orderBy('companies.id')
    .limit(props.limit + 1)
    .execute();
  const page = rows.slice(0, props.limit);
  const last = page.at(-1);
  return {
    data: page.map((r) => present(r, Number(r.contact_count ?? 0))),
    nextCursor: rows.length > props.limit && last ? encodeCursor([last.name.toLowerCase(), last.id]) : null,
  };
}

export type GetCompanyProps = { id: string };

export async function getCompany(db: Db, { id }: GetCompanyProps): Promise<Company> {
  const row = await db.selectFrom('companies').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found', 'company not found');
  return present(row, await countContacts(db, id));
}

export type CreateCompanyProps = { actor: Actor; input: z.infer<typeof CompanyInput> };

export async function createCompany(db: Db, { actor, input }: CreateCompanyProps): Promise<Company> {
  return db.transaction().execute(async (trx) => {
    await assertDomainFree(trx, input.domain);
    const row = await trx
      .insertInto('companies')
      .values({ name: input.name, domain: input.domain ?? null, notes: input.notes ?? '', updated_at: new Date() })
      .returningAll()
      .executeTakeFirstOrThrow();
    const adopted = row.domain ? await adoptByDomain(trx, row.id, row.domain) : 0;
    const company = present(row, adopted);
    await recordAudit(trx, { actor, action: 'company.created', entityType: 'company', entityId: row.id, after: company });
    return company;
  });
}

export type UpdateCompanyProps = { actor: Actor; id: string; input: z.infer<typeof CompanyUpdate> };

/** A new domain takes in the contacts at it that have no company; contacts already in keep their company. */
export async function updateCompany(db: Db, { actor, id, input }: UpdateCompanyProps): Promise<Company> {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('companies').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw new AppError('not_found', 'company not found');
    await assertDomainFree(trx, input.domain, id);
    const row = await trx
      .updateTable('companies')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.domain !== undefined ? { domain: input.domain } : {}),
        ...(input.notes !== undefined ? { notes: input.notes } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (row.domain && row.domain !== before.domain) await adoptByDomain(trx, id, row.domain);
    const company = present(row, await countContacts(trx, id));
    await recordAudit(trx, {
      actor,
      action: 'company.updated',
      entityType: 'company',
      entityId: id,
      before: present(before, company.contacts),
      after: company,
    });
    return company;
  });
}

export type DeleteCompanyProps = { actor: Actor; id: string };

/** The contacts stay, without a company. */
export async function deleteCompany(db: Db, { actor, id }: DeleteCompanyProps): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const contacts = await countContacts(trx, id);
    const row = await trx.deleteFrom('companies').where('id', '=', id).returningAll().executeTakeFirst();
    if (!row) throw new AppError('not_found', 'company not found');
    await recordAudit(trx, {
      actor,
      action: 'company.deleted',
      entityType: 'company',
      entityId: id,
      before: present(row, contacts),
    });
  });
}

export type ListCompanyContactsProps = { actor: Actor; id: string };

/** The company's contacts the actor may see (an agent: those of their inboxes), by name. */
export async function listCompanyContacts(db: Db, { actor, id }: ListCompanyContactsProps) {
  await getCompany(db, { id });
  let q = db.selectFrom('contacts').selectAll().where('company_id', '=', id);
  const visible = await visibleInboxIds(db, actor);
  if (visible) q = q.where(contactVisibleIn(visible));
  const rows = await q.orderBy('name').orderBy('email').limit(500).execute();
  return { data: rows.map((r) => presentContact(r)) };
}
