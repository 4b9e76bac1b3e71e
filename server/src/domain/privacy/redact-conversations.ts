import type { AttachmentRow } from '../../../../db/types';
import type { Db } from '../../storage/db';
import { uploadIdOf } from '../widget/uploads';

export interface RedactionCounts {
  messages: number;
  emails: number;
  /** Upload ids their messages referenced: the caller deletes the files once the transaction commits. */
  uploadIds: string[];
}

const attachmentsOf = (v: unknown): AttachmentRow[] => (typeof v === 'string' ? JSON.parse(v) : (v ?? [])) as AttachmentRow[];

export type RedactConversationsProps = { ids: string[]; now: Date };

/**
 * Removes the content of these conversations and keeps their shape for reports: every message keeps
 * its author kind, sequence and times but loses its text, attachments and bot metadata; the
 * conversation loses its subject, custom fields and CSAT comment (the rating, a number, stays);
 * mails lose their addresses, subject, bodies and raw source; drafts, knowledge-gap examples and bot
 * turns (which quote the customer) go. Runs inside the caller's transaction.
 */
export async function redactConversations(trx: Db, { ids, now }: RedactConversationsProps): Promise<RedactionCounts> {
  if (!ids.length) return { messages: 0, emails: 0, uploadIds: [] };
  const withFiles = await trx
    .selectFrom('messages')
    .select('attachments')
    .where('conversation_id', 'in', ids)
    .where('attachments', '!=', '[]' as never)
    .execute();
  const uploadIds = withFiles.flatMap((m) =>
    attachmentsOf(m.attachments)
      .map((a) => uploadIdOf(a.url))
      .filter((id): id is string => Boolean(id)),
  );
  const messages = await trx
    .updateTable('messages')
    .set({ body_html: '', body_text: '', attachments: '[]', meta: null, client_id: null })
    .where('conversation_id', 'in', ids)
    .executeTakeFirst();
  await trx
    .updateTable('conversations')
    .set({ subject: null, custom_fields: '{}', csat_comment: null, redacted_at: now })
    .where('id', 'in', ids)
    .execute();
  const emails = await trx
    .updateTable('email_messages')
    .set({
      from_address: '',
      from_name: null,
      to_addresses: '[]',
      cc_addresses: '[]',
      subject: null,
      full_html: null,
      full_text: null,
      raw: null,
      status_reason: null,
    })
    .where('conversation_id', 'in', ids)
    .executeTakeFirst();
  await trx.deleteFrom('email_threads').where('conversation_id', 'in', ids).execute();
  await trx.deleteFrom('drafts').where('conversation_id', 'in', ids).execute();
  await trx.deleteFrom('kb_gap_examples').where('conversation_id', 'in', ids).execute();
  await trx.deleteFrom('bot_turns').where('conversation_id', 'in', ids).execute();
  return { messages: Number(messages.numUpdatedRows), emails: Number(emails.numUpdatedRows), uploadIds };
}
