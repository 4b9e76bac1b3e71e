import { AppError, type ErasureReport } from '@autocrm/shared';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import type { UploadStore } from '../../storage/uploads/upload-store';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';
import { deleteUpload, readUploadMeta } from '../widget/uploads';
import { redactConversations } from './redact-conversations';

const mentions = (column: 'payload' | 'before' | 'after', needles: string[]) =>
  sql<boolean>`(${sql.join(
    needles.map((n) => sql`${sql.ref(column)}::text LIKE ${`%${n.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`),
    sql` OR `,
  )})`;

export type EraseContactProps = { store: UploadStore; actor: Actor; contactId: string; now: Date };

/**
 * Erases a contact (the right to erasure). What goes, in one transaction (README "Personal data"):
 * - the contact's name, email, phone, external id and attributes; the row stays as a tombstone
 *   (`erased_at`) so its conversations still count in reports, and nothing matches it again;
 * - their widget visitors, verified widget identities, channel identities and read cursors, and the
 *   browser details of their last visit (visitor_context);
 * - their portal links, sessions and password, push subscriptions, notification preferences and
 *   announcement receipts;
 * - the agents' internal notes about them (contact_notes);
 * - the content of each of their conversations (redactConversations: messages' text and attachments,
 *   subject, custom fields, CSAT comment, mails, SMS/WhatsApp/Messenger copies, drafts, knowledge-gap
 *   examples, bot turns, agents' notifications);
 * - every outbox event and webhook delivery whose payload names them or one of their conversations;
 * - the before/after data of audit entries about them, their conversations or messages.
 * Kept: conversation rows with status, times, assignee, CSAT rating, tags; message rows with author
 * kind, sequence and times (first-response and volume metrics); one audit entry `contact.erased` with
 * counts only. Attachment files are deleted from the upload store after the commit, and so are the
 * files they uploaded and never sent (found by owner in the store's metadata). Knowledge-gap questions
 * in their words are reworded from another asker or deleted; their company link and contact custom
 * fields are cleared.
 */
export async function eraseContact(db: Db, { store, actor, contactId, now }: EraseContactProps): Promise<ErasureReport> {
  const { report, uploadIds } = await db.transaction().execute(async (trx) => {
    const contact = await trx.selectFrom('contacts').selectAll().where('id', '=', contactId).forUpdate().executeTakeFirst();
    if (!contact) throw new AppError('not_found', 'no such contact');
    const conversationIds = (
      await trx.selectFrom('conversations').select('id').where('contact_id', '=', contactId).execute()
    ).map((c) => c.id);
    const messageIds = conversationIds.length
      ? (await trx.selectFrom('messages').select('id').where('conversation_id', 'in', conversationIds).execute()).map((m) => m.id)
      : [];
    const redacted = await redactConversations(trx, { ids: conversationIds, now });
    const identities =
      Number((await trx.deleteFrom('visitors').where('contact_id', '=', contactId).executeTakeFirst()).numDeletedRows) +
      Number((await trx.deleteFrom('widget_identities').where('contact_id', '=', contactId).executeTakeFirst()).numDeletedRows) +
      Number((await trx.deleteFrom('contact_identities').where('contact_id', '=', contactId).executeTakeFirst()).numDeletedRows) +
      Number(
        (
          await trx
            .deleteFrom('read_cursors')
            .where('participant_kind', '=', 'contact')
            .where('participant_id', '=', contactId)
            .executeTakeFirst()
        ).numDeletedRows,
      );
    // Their ways back in and ways to be reached: portal sign-in links, sessions and password, push
    // subscriptions, notification choices and announcement receipts. (SMS opt-outs stay: that list is
    // what keeps us from texting the number again.)
    for (const table of [
      'portal_links',
      'portal_sessions',
      'portal_passwords',
      'push_subscriptions',
      'contact_notification_prefs',
      'announcement_receipts',
    ] as const)
      await trx.deleteFrom(table).where('contact_id', '=', contactId).execute();
    const notes = Number(
      (await trx.deleteFrom('contact_notes').where('contact_id', '=', contactId).executeTakeFirst()).numDeletedRows,
    );
    // Identifying values to look for in stored event payloads and audit data, besides the ids.
    const values = [contact.email, contact.phone, contact.external_id].filter((v): v is string => Boolean(v));
    const needles = [contactId, ...conversationIds, ...values];
    const events = await trx.deleteFrom('outbox').where(mentions('payload', needles)).executeTakeFirst();
    const deliveries = await trx.deleteFrom('webhook_deliveries').where(mentions('payload', needles)).executeTakeFirst();
    const audit = await trx
      .updateTable('audit_log')
      .set({ before: null, after: null })
      .where((eb) =>
        eb.or([
          eb('entity_id', 'in', [contactId, ...conversationIds, ...messageIds]),
          mentions('before', needles),
          mentions('after', needles),
        ]),
      )
      .where((eb) => eb.or([eb('before', 'is not', null), eb('after', 'is not', null)]))
      .executeTakeFirst();
    await trx
      .updateTable('contacts')
      .set({
        name: null,
        email: null,
        phone: null,
        external_id: null,
        attributes: '{}',
        custom_fields: '{}',
        visitor_context: null,
        company_id: null,
        erased_at: now,
        updated_at: now,
      })
      .where('id', '=', contactId)
      .execute();
    const report: ErasureReport = {
      contactId,
      conversations: conversationIds.length,
      messages: redacted.messages,
      attachments: redacted.uploadIds.length,
      emails: redacted.emails,
      identities,
      events: Number(events.numDeletedRows),
      webhookDeliveries: Number(deliveries.numDeletedRows),
      auditEntries: Number(audit.numUpdatedRows),
      knowledgeGaps: redacted.knowledgeGaps,
      unsentUploads: 0,
      contactNotes: notes,
    };
    await recordAudit(trx, { actor, action: 'contact.erased', entityType: 'contact', entityId: contactId, after: report });
    return { report, uploadIds: redacted.uploadIds };
  });
  for (const id of uploadIds) await deleteUpload(store, id);
  // Files they picked and never sent are theirs too: found by owner in the store's metadata, gone now.
  report.unsentUploads = await deleteUnsentUploads(store, `contact:${contactId}`);
  if (report.unsentUploads) {
    await db
      .updateTable('audit_log')
      .set({ after: JSON.stringify(report) })
      .where('action', '=', 'contact.erased')
      .where('entity_id', '=', contactId)
      .execute();
  }
  return report;
}

/** Deletes the uploads `owner` stored and never attached to a message; returns how many. */
async function deleteUnsentUploads(store: UploadStore, owner: string): Promise<number> {
  const metas: string[] = [];
  for await (const o of store.list()) if (o.key.endsWith('.json')) metas.push(o.key.slice(0, -5));
  let deleted = 0;
  for (const id of metas) {
    const meta = await readUploadMeta(store, id);
    if (meta?.owner === owner && !meta.conversationId) {
      await deleteUpload(store, id);
      deleted++;
    }
  }
  return deleted;
}
