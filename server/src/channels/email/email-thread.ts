import { AppError, type EmailThread } from '@autocrm/shared';
import type { Actor } from '../../domain/actor';
import { getVisibleConversation } from '../../domain/conversations/status-history';
import { activeUploadLinks } from '../../domain/widget/upload-links';
import type { Db } from '../../storage/db';
import { inboxAddress } from './inbox-addresses';

/** The mails of a conversation, for the workspace (subject, from, to/cc, delivery state). */
export async function emailThread(db: Db, actor: Actor, conversationId: string): Promise<EmailThread> {
  const conv = await getVisibleConversation(db, { actor, id: conversationId });
  const [rows, thread, contact, inbox] = await Promise.all([
    db
      .selectFrom('email_messages')
      .select([
        'id',
        'message_id',
        'direction',
        'status',
        'status_reason',
        'attempts',
        'from_address',
        'from_name',
        'to_addresses',
        'cc_addresses',
        'subject',
        'sent_at',
        'created_at',
        (eb) => eb.or([eb('full_html', 'is not', null), eb('full_text', 'is not', null)]).as('has_full'),
      ])
      .where('conversation_id', '=', conversationId)
      .orderBy('created_at')
      .limit(500)
      .execute(),
    db.selectFrom('email_threads').select('cc').where('conversation_id', '=', conversationId).executeTakeFirst(),
    db.selectFrom('contacts').select(['email', 'name']).where('id', '=', conv.contactId).executeTakeFirst(),
    db.selectFrom('inboxes').select(['name', 'settings']).where('id', '=', conv.inboxId).executeTakeFirst(),
  ]);
  return {
    subject: conv.subject,
    customer: contact?.email ? { address: contact.email, name: contact.name } : null,
    inboxAddress: inbox ? (inboxAddress(inbox) ?? null) : null,
    cc: thread?.cc ?? [],
    emails: rows.map((r) => ({
      id: r.id,
      messageId: r.message_id,
      direction: r.direction,
      status: r.status,
      statusReason: r.status_reason,
      attempts: r.attempts,
      from: { address: r.from_address, name: r.from_name },
      to: r.to_addresses,
      cc: r.cc_addresses,
      subject: r.subject,
      sentAt: r.sent_at?.toISOString() ?? null,
      createdAt: r.created_at.toISOString(),
      hasFullBody: Boolean(r.has_full),
    })),
  };
}

/** "Show full email": the whole mail as received, quoted history and signature included (sanitized). */
export async function fullEmail(db: Db, actor: Actor, conversationId: string, emailId: string) {
  await getVisibleConversation(db, { actor, id: conversationId });
  const row = await db
    .selectFrom('email_messages')
    .select(['id', 'full_html', 'full_text'])
    .where('id', '=', emailId)
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', 'email not found');
  const html = row.full_html && (activeUploadLinks()?.signHtml(row.full_html) ?? row.full_html);
  return { id: row.id, html, text: row.full_text };
}

/** Sets who is copied on the agents' replies in this conversation. */
export async function setThreadCc(db: Db, actor: Actor, conversationId: string, cc: string[]) {
  await getVisibleConversation(db, { actor, id: conversationId });
  const list = [...new Set(cc.map((a) => a.trim().toLowerCase()))].map((address) => ({ address, name: null }));
  await db
    .insertInto('email_threads')
    .values({ conversation_id: conversationId, cc: JSON.stringify(list), updated_at: new Date() })
    .onConflict((oc) => oc.column('conversation_id').doUpdateSet({ cc: JSON.stringify(list), updated_at: new Date() }))
    .execute();
  return emailThread(db, actor, conversationId);
}
