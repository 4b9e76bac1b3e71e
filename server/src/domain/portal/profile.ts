import { AppError } from '@autocrm/shared';
import type { Db } from '../../storage/db';

/** Who the signed-in customer is, for the portal's header and profile page. */
export async function getPortalProfile(db: Db, { contactId }: { contactId: string }) {
  const c = await db
    .selectFrom('contacts')
    .leftJoin('portal_passwords as p', 'p.contact_id', 'contacts.id')
    .select(['contacts.id', 'contacts.name', 'contacts.email', 'contacts.attributes', 'p.contact_id as has_password'])
    .where('contacts.id', '=', contactId)
    .executeTakeFirst();
  if (!c) throw new AppError('not_found', 'contact not found');
  const locale = typeof c.attributes.locale === 'string' ? c.attributes.locale : null;
  return { contact: { id: c.id, name: c.name, email: c.email, locale }, hasPassword: !!c.has_password };
}

export type UpdatePortalProfileProps = { contactId: string; name?: string | undefined; locale?: string | null | undefined };

/** The customer's own name and language (kept as the contact's `locale` attribute). */
export async function updatePortalProfile(db: Db, { contactId, name, locale }: UpdatePortalProfileProps) {
  await db.transaction().execute(async (trx) => {
    const c = await trx.selectFrom('contacts').select('attributes').where('id', '=', contactId).forUpdate().executeTakeFirst();
    if (!c) throw new AppError('not_found', 'contact not found');
    const attributes: Record<string, unknown> = { ...c.attributes };
    if (locale !== undefined) {
      if (locale) attributes.locale = locale;
      else delete attributes.locale;
    }
    await trx
      .updateTable('contacts')
      .set({ ...(name ? { name } : {}), attributes: JSON.stringify(attributes), updated_at: new Date() })
      .where('id', '=', contactId)
      .execute();
  });
  return getPortalProfile(db, { contactId });
}
