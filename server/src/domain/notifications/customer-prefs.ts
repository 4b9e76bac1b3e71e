import type { CustomerNotificationPrefs } from '@autocrm/shared';
import type { Db } from '../../storage/db';

export type GetCustomerNotificationPrefsProps = { contactId: string };

const DEFAULTS: CustomerNotificationPrefs = { emailReplies: true, emailStatus: true, push: true, unsubscribedAt: null };

/** A customer's notification preferences (everything on until they say otherwise). */
export async function getCustomerNotificationPrefs(
  db: Db,
  { contactId }: GetCustomerNotificationPrefsProps,
): Promise<CustomerNotificationPrefs> {
  const row = await db
    .selectFrom('contact_notification_prefs')
    .selectAll()
    .where('contact_id', '=', contactId)
    .executeTakeFirst();
  if (!row) return { ...DEFAULTS };
  return {
    emailReplies: row.email_replies,
    emailStatus: row.email_status,
    push: row.push,
    unsubscribedAt: row.unsubscribed_at?.toISOString() ?? null,
  };
}

export type SetCustomerNotificationPrefsProps = {
  contactId: string;
  emailReplies?: boolean;
  emailStatus?: boolean;
  push?: boolean;
  /** true: the one-click unsubscribe (no email at all); false: subscribed again. */
  unsubscribed?: boolean;
};

/** Changes what is given, keeps the rest. Turning an email kind on again also lifts an unsubscribe. */
export async function setCustomerNotificationPrefs(
  db: Db,
  { contactId, ...change }: SetCustomerNotificationPrefsProps,
): Promise<CustomerNotificationPrefs> {
  const now = new Date();
  const before = await getCustomerNotificationPrefs(db, { contactId });
  const resubscribe = change.unsubscribed === false || change.emailReplies === true || change.emailStatus === true;
  const next = {
    email_replies: change.emailReplies ?? before.emailReplies,
    email_status: change.emailStatus ?? before.emailStatus,
    push: change.push ?? before.push,
    unsubscribed_at:
      change.unsubscribed === true
        ? before.unsubscribedAt
          ? new Date(before.unsubscribedAt)
          : now
        : resubscribe
          ? null
          : before.unsubscribedAt
            ? new Date(before.unsubscribedAt)
            : null,
    updated_at: now,
  };
  await db
    .insertInto('contact_notification_prefs')
    .values({ contact_id: contactId, ...next })
    .onConflict((oc) => oc.column('contact_id').doUpdateSet(next))
    .execute();
  return getCustomerNotificationPrefs(db, { contactId });
}

/**
 * Whether a customer wants this kind of mail: replies; status changes, surveys and "back online"; or
 * announcements, which have no switch of their own: they go to customers who have not unsubscribed and
 * still take some email from us (one of the two switches on).
 */
export async function customerWantsEmail(
  db: Db,
  props: { contactId: string; kind: 'replies' | 'status' | 'announcements' },
): Promise<boolean> {
  const p = await getCustomerNotificationPrefs(db, { contactId: props.contactId });
  if (p.unsubscribedAt) return false;
  if (props.kind === 'announcements') return p.emailReplies || p.emailStatus;
  return props.kind === 'replies' ? p.emailReplies : p.emailStatus;
}
