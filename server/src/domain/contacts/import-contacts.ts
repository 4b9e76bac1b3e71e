import { AppError, type ContactImport } from '@autocrm/shared';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { createContact, updateContactIn } from './contacts';

export type ImportContactsProps = { actor: Actor; input: ContactImport };

/**
 * Imports rows all or nothing, in the caller's transaction: a row whose email (or external id) belongs
 * to a contact updates it (attributes merge) instead of adding a second one, also when the same person
 * is in the file twice. A row that fails stops the import with its row number in the error's paths, so
 * nothing half-imported is left behind.
 */
export async function importContacts(trx: Db, { actor, input }: ImportContactsProps) {
  let created = 0;
  let updated = 0;
  const ids: string[] = [];
  const companies = new Map<string, string>();
  for (const [i, { companyName, ...row }] of input.rows.entries()) {
    try {
      if (companyName && row.companyId === undefined) row.companyId = await companyByName(trx, companies, companyName);
      const match = await findMatch(trx, row);
      if (match) {
        const { email: _same, ...changes } = row;
        ids.push(
          (
            await updateContactIn(trx, {
              actor,
              id: match,
              changes: Object.keys(changes).length ? changes : { email: row.email },
            })
          ).id,
        );
        updated++;
      } else {
        ids.push((await createContact(trx, { actor, input: row })).id);
        created++;
      }
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const issues = err.issues?.length ? err.issues : [{ path: '', message: err.message }];
      throw new AppError(
        err.code,
        `row ${i + 1}: ${err.message}`,
        issues.map((x) => ({ path: ['rows', i, x.path].filter((p) => p !== '').join('.'), message: x.message })),
      );
    }
  }
  return { created, updated, ids };
}

/** The company with this name (any case), created when there is none; remembered for the rest of the file. */
async function companyByName(trx: Db, seen: Map<string, string>, name: string): Promise<string> {
  const key = name.trim().toLowerCase();
  const known = seen.get(key);
  if (known) return known;
  const hit = await trx
    .selectFrom('companies')
    .select('id')
    .where(sql<boolean>`lower(name) = ${key}`)
    .orderBy('created_at')
    .executeTakeFirst();
  const id =
    hit?.id ??
    (
      await trx
        .insertInto('companies')
        .values({ name: name.trim(), updated_at: new Date() })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  seen.set(key, id);
  return id;
}

async function findMatch(trx: Db, row: ContactImport['rows'][number]) {
  if (row.email) {
    const hit = await trx.selectFrom('contacts').select('id').where('email', '=', row.email).executeTakeFirst();
    if (hit) return hit.id;
  }
  if (row.externalId) {
    const hit = await trx.selectFrom('contacts').select('id').where('external_id', '=', row.externalId).executeTakeFirst();
    if (hit) return hit.id;
  }
  return null;
}
