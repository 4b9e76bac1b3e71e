import {
  type Announcement,
  type AnnouncementInput,
  type AnnouncementSegment,
  AppError,
  type WidgetAnnouncement,
} from '@autocrm/shared';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';

interface ContactFacts {
  attributes: Record<string, unknown>;
  language: string | null;
  lastSeenAt: Date | null;
}

/** Whether a contact is in a segment: every condition given holds. */
export function inSegment(segment: AnnouncementSegment, c: ContactFacts, now = new Date()): boolean {
  for (const [k, v] of Object.entries(segment.attributes ?? {})) if (c.attributes[k] !== v) return false;
  if (segment.seenWithinDays !== undefined) {
    if (!c.lastSeenAt || now.getTime() - c.lastSeenAt.getTime() > segment.seenWithinDays * 86_400_000) return false;
  }
  if (segment.languages?.length) {
    const lang = c.language?.toLowerCase().split('-')[0];
    if (!lang || !segment.languages.some((l) => l.toLowerCase().split('-')[0] === lang)) return false;
  }
  return true;
}

async function factsOf(db: Db, contactId: string): Promise<ContactFacts | undefined> {
  const c = await db
    .selectFrom('contacts')
    .select(['attributes', 'visitor_context', 'erased_at'])
    .where('id', '=', contactId)
    .executeTakeFirst();
  if (!c || c.erased_at) return undefined;
  const seen = await db
    .selectFrom('visitors')
    .select((eb) => eb.fn.max('last_seen_at').as('at'))
    .where('contact_id', '=', contactId)
    .executeTakeFirst();
  const attributes = (c.attributes ?? {}) as Record<string, unknown>;
  const language = c.visitor_context?.language ?? (typeof attributes.language === 'string' ? attributes.language : null);
  return { attributes, language, lastSeenAt: seen?.at ? new Date(seen.at as Date | string) : null };
}

/** `language`: the visitor's browser language right now, preferred over what the contact last reported. */
export type AnnouncementsForContactProps = { contactId: string; inboxId: string; language?: string };

/** The cards the widget shows a visitor: active, theirs by segment, not dismissed. Marks them shown. */
export async function announcementsForContact(
  db: Db,
  { contactId, inboxId, language }: AnnouncementsForContactProps,
): Promise<WidgetAnnouncement[]> {
  const stored = await factsOf(db, contactId);
  if (!stored) return [];
  const facts = language ? { ...stored, language } : stored;
  const now = new Date();
  const rows = await db
    .selectFrom('announcements as a')
    .leftJoin('announcement_receipts as r', (j) => j.onRef('r.announcement_id', '=', 'a.id').on('r.contact_id', '=', contactId))
    .select(['a.id', 'a.kind', 'a.title', 'a.body', 'a.segment', 'a.created_at', 'r.dismissed_at'])
    .where('a.active', '=', true)
    .where((eb) => eb.or([eb('a.inbox_id', 'is', null), eb('a.inbox_id', '=', inboxId)]))
    .where((eb) => eb.or([eb('a.expires_at', 'is', null), eb('a.expires_at', '>', now)]))
    .orderBy('a.created_at', 'desc')
    .limit(20)
    .execute();
  const shown = rows.filter((r) => !r.dismissed_at && inSegment(r.segment as AnnouncementSegment, facts, now)).slice(0, 3);
  for (const r of shown) {
    await db
      .insertInto('announcement_receipts')
      .values({ announcement_id: r.id, contact_id: contactId, shown_at: now })
      .onConflict((oc) => oc.columns(['announcement_id', 'contact_id']).doUpdateSet({ shown_at: now }))
      .execute();
  }
  return shown.map((r) => ({ id: r.id, kind: r.kind, title: r.title, body: r.body, createdAt: r.created_at.toISOString() }));
}

export async function dismissAnnouncement(db: Db, props: { contactId: string; announcementId: string }): Promise<void> {
  const now = new Date();
  const exists = await db.selectFrom('announcements').select('id').where('id', '=', props.announcementId).executeTakeFirst();
  if (!exists) throw new AppError('not_found', 'announcement not found');
  await db
    .insertInto('announcement_receipts')
    .values({ announcement_id: props.announcementId, contact_id: props.contactId, shown_at: now, dismissed_at: now })
    .onConflict((oc) => oc.columns(['announcement_id', 'contact_id']).doUpdateSet({ dismissed_at: now }))
    .execute();
}

export async function listAnnouncements(db: Db): Promise<Announcement[]> {
  const rows = await db.selectFrom('announcements').selectAll().orderBy('created_at', 'desc').limit(200).execute();
  const counts = rows.length
    ? await db
        .selectFrom('announcement_receipts')
        .select((eb) => [
          'announcement_id',
          eb.fn.count<string>('shown_at').as('shown'),
          eb.fn.count<string>('dismissed_at').as('dismissed'),
          eb.fn.count<string>('emailed_at').as('emailed'),
        ])
        .where(
          'announcement_id',
          'in',
          rows.map((r) => r.id),
        )
        .groupBy('announcement_id')
        .execute()
    : [];
  return rows.map((r) => {
    const n = counts.find((x) => x.announcement_id === r.id);
    return {
      id: r.id,
      kind: r.kind,
      title: r.title,
      body: r.body,
      segment: r.segment as AnnouncementSegment,
      inboxId: r.inbox_id,
      sendEmail: r.send_email,
      active: r.active,
      createdAt: r.created_at.toISOString(),
      expiresAt: r.expires_at?.toISOString() ?? null,
      shown: Number(n?.shown ?? 0),
      dismissed: Number(n?.dismissed ?? 0),
      emailed: Number(n?.emailed ?? 0),
    };
  });
}

export type CreateAnnouncementProps = { actor: Actor; input: AnnouncementInput; kind?: 'announcement' | 'back_online' };

export async function createAnnouncement(
  db: Db,
  { actor, input, kind = 'announcement' }: CreateAnnouncementProps,
): Promise<Announcement> {
  const row = await db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('announcements')
      .values({
        kind,
        title: input.title,
        body: input.body,
        segment: JSON.stringify(input.segment ?? {}),
        inbox_id: input.inboxId ?? null,
        send_email: input.sendEmail,
        created_by: actor.kind === 'user' ? actor.id : null,
        expires_at: input.expiresAt ? new Date(input.expiresAt) : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actor, action: 'announcement.created', entityType: 'announcement', entityId: r.id, after: input });
    return r;
  });
  return (await listAnnouncements(db)).find((a) => a.id === row.id)!;
}

export async function setAnnouncementActive(db: Db, props: { actor: Actor; id: string; active: boolean }): Promise<Announcement> {
  const r = await db.updateTable('announcements').set({ active: props.active }).where('id', '=', props.id).executeTakeFirst();
  if (!r.numUpdatedRows) throw new AppError('not_found', 'announcement not found');
  await recordAudit(db, {
    actor: props.actor,
    action: props.active ? 'announcement.activated' : 'announcement.deactivated',
    entityType: 'announcement',
    entityId: props.id,
  });
  return (await listAnnouncements(db)).find((a) => a.id === props.id)!;
}

/** Contacts with an email address in an announcement's segment who were not mailed it yet (for the mail worker). */
export async function announcementRecipients(
  db: Db,
  { announcementId, limit }: { announcementId: string; limit: number },
): Promise<{ contactId: string; email: string; name: string | null }[]> {
  const a = await db.selectFrom('announcements').selectAll().where('id', '=', announcementId).executeTakeFirst();
  if (!a?.active || !a.send_email) return [];
  const contacts = await db
    .selectFrom('contacts as c')
    .leftJoin('announcement_receipts as r', (j) =>
      j.onRef('r.contact_id', '=', 'c.id').on('r.announcement_id', '=', announcementId),
    )
    .select(['c.id', 'c.email', 'c.name', 'c.attributes'])
    .where('c.erased_at', 'is', null)
    .where('r.emailed_at', 'is', null)
    .limit(5000)
    .execute();
  const out: { contactId: string; email: string; name: string | null }[] = [];
  for (const c of contacts) {
    const attrs = (c.attributes ?? {}) as Record<string, unknown>;
    const email = c.email ?? (typeof attrs.unverifiedEmail === 'string' ? attrs.unverifiedEmail : null);
    if (!email) continue;
    const facts = await factsOf(db, c.id);
    if (facts && inSegment(a.segment as AnnouncementSegment, facts)) out.push({ contactId: c.id, email, name: c.name });
    if (out.length >= limit) break;
  }
  return out;
}
