import { AppError } from '@autocrm/shared';
import type { Db } from '../../storage/db';

// What contacts need from companies (kept apart from companies.ts, which presents contacts).

/** The part of an email after the last @, lower-cased (null without one). */
export function emailDomain(email: string | null | undefined): string | null {
  const at = email?.lastIndexOf('@') ?? -1;
  return email && at > 0 ? email.slice(at + 1).toLowerCase() : null;
}

/** The company whose domain is this email's, if any: what a new contact joins. */
export async function companyForEmail(trx: Db, email: string | null | undefined): Promise<string | null> {
  const domain = emailDomain(email);
  if (!domain) return null;
  const row = await trx.selectFrom('companies').select('id').where('domain', '=', domain).executeTakeFirst();
  return row?.id ?? null;
}

export async function assertCompany(trx: Db, id: string): Promise<void> {
  const row = await trx.selectFrom('companies').select('id').where('id', '=', id).executeTakeFirst();
  if (!row)
    throw new AppError('validation_failed', 'companyId: no such company', [{ path: 'companyId', message: 'no such company' }]);
}
