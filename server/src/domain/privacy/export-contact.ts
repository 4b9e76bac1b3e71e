import { AppError } from '@autocrm/shared';
import type { AttachmentRow } from '../../../../db/types';
import type { Db } from '../../storage/db';
import type { UploadStore } from '../../storage/uploads/upload-store';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';
import { presentContact } from '../contacts/contacts';
import { readUpload, uploadIdOf } from '../widget/uploads';

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

export type ExportContactProps = { store: UploadStore; actor: Actor; contactId: string; options: { includeNotes: boolean } };

/**
 * Everything stored about a contact, as one JSON document (the right of access): the contact, their
 * identities, every conversation with its messages, CSAT and custom fields, their mails, and the
 * attachment files inline (base64). Internal notes are left out unless asked for: they are the team's
 * words about the person, which an admin reviews before handing them over. Audited.
 */
export async function exportContact(db: Db, { store, actor, contactId, options }: ExportContactProps) {
  const contact = await db.selectFrom('contacts').selectAll().where('id', '=', contactId).executeTakeFirst();
  if (!contact) throw new AppError('not_found', 'no such contact');
  const conversations = await db
    .selectFrom('conversations')
    .innerJoin('inboxes', 'inboxes.id', 'conversations.inbox_id')
    .select([
      'conversations.id',
      'conversations.number',
      'conversations.subject',
      'conversations.status_category',
      'conversations.custom_fields',
      'conversations.created_at',
      'conversations.resolved_at',
      'conversations.csat_rating',
      'conversations.csat_comment',
      'conversations.csat_at',
      'conversations.locale',
      'inboxes.name as inbox',
      'inboxes.channel',
    ])
    .where('conversations.contact_id', '=', contactId)
    .orderBy('conversations.created_at')
    .execute();
  const ids = conversations.map((c) => c.id);
  let messagesQuery = db
    .selectFrom('messages')
    .leftJoin('users', (j) => j.onRef('users.id', '=', 'messages.author_id').on('messages.author_kind', '=', 'agent'))
    .select([
      'messages.conversation_id',
      'messages.seq',
      'messages.author_kind',
      'users.name as author_name',
      'messages.private',
      'messages.body_text',
      'messages.body_html',
      'messages.attachments',
      'messages.created_at',
      'messages.edited_at',
      'messages.deleted_at',
    ])
    .where('messages.conversation_id', 'in', ids.length ? ids : ['00000000-0000-0000-0000-000000000000'])
    .orderBy('messages.conversation_id')
    .orderBy('messages.seq');
  if (!options.includeNotes) messagesQuery = messagesQuery.where('messages.private', '=', false);
  const messages = await messagesQuery.execute();
  const emails = ids.length
    ? await db
        .selectFrom('email_messages')
        .select([
          'conversation_id',
          'direction',
          'from_address',
          'from_name',
          'to_addresses',
          'cc_addresses',
          'subject',
          'full_text',
          'created_at',
        ])
        .where('conversation_id', 'in', ids)
        .orderBy('created_at')
        .execute()
    : [];
  const visitors = await db
    .selectFrom('visitors')
    .select(['inbox_id', 'created_at', 'last_seen_at'])
    .where('contact_id', '=', contactId)
    .execute();
  const widgetIdentities = await db
    .selectFrom('widget_identities')
    .select(['inbox_id', 'external_id', 'created_at'])
    .where('contact_id', '=', contactId)
    .execute();

  // Agents' notes about the person travel with the conversations' internal notes (both opt-in).
  const contactNotes = options.includeNotes
    ? await db
        .selectFrom('contact_notes')
        .select(['body', 'created_at'])
        .where('contact_id', '=', contactId)
        .orderBy('created_at')
        .execute()
    : [];

  const files = [];
  for (const m of messages) {
    for (const a of json<AttachmentRow[]>(m.attachments)) {
      const id = uploadIdOf(a.url);
      const found = id ? await readUpload(store, id) : undefined;
      if (found)
        files.push({
          id,
          name: found.meta.name,
          contentType: found.meta.contentType,
          size: found.meta.size,
          base64: found.bytes.toString('base64'),
        });
    }
  }
  const document = {
    format: 'autocrm.contact-export.v1',
    exportedAt: new Date().toISOString(),
    contact: { ...presentContact(contact), erasedAt: iso(contact.erased_at) },
    identities: {
      widgetVisitors: visitors.map((v) => ({
        inboxId: v.inbox_id,
        createdAt: iso(v.created_at),
        lastSeenAt: iso(v.last_seen_at),
      })),
      verifiedWidgetIds: widgetIdentities.map((w) => ({
        inboxId: w.inbox_id,
        externalId: w.external_id,
        createdAt: iso(w.created_at),
      })),
    },
    conversations: conversations.map((c) => ({
      id: c.id,
      number: c.number,
      inbox: c.inbox,
      channel: c.channel,
      subject: c.subject,
      status: c.status_category,
      locale: c.locale,
      customFields: json<Record<string, unknown>>(c.custom_fields),
      createdAt: iso(c.created_at),
      resolvedAt: iso(c.resolved_at),
      csat: c.csat_rating === null ? null : { rating: c.csat_rating, comment: c.csat_comment, at: iso(c.csat_at) },
      messages: messages
        .filter((m) => m.conversation_id === c.id)
        .map((m) => ({
          seq: m.seq,
          author: m.author_kind,
          authorName: m.author_name ?? null,
          note: m.private,
          text: m.deleted_at ? null : m.body_text,
          html: m.deleted_at ? null : m.body_html,
          attachments: json<AttachmentRow[]>(m.attachments).map((a) => ({ ...a, fileId: uploadIdOf(a.url) ?? null })),
          createdAt: iso(m.created_at),
          editedAt: iso(m.edited_at),
          deletedAt: iso(m.deleted_at),
        })),
      emails: emails
        .filter((e) => e.conversation_id === c.id)
        .map((e) => ({
          direction: e.direction,
          from: { address: e.from_address, name: e.from_name },
          to: json(e.to_addresses),
          cc: json(e.cc_addresses),
          subject: e.subject,
          text: e.full_text,
          at: iso(e.created_at),
        })),
    })),
    ...(options.includeNotes ? { contactNotes: contactNotes.map((n) => ({ text: n.body, createdAt: iso(n.created_at) })) } : {}),
    files,
  };
  await recordAudit(db, {
    actor,
    action: 'contact.exported',
    entityType: 'contact',
    entityId: contactId,
    after: {
      conversations: conversations.length,
      messages: messages.length,
      files: files.length,
      includeNotes: options.includeNotes,
    },
  });
  return document;
}
