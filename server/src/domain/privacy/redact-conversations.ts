import type { AttachmentRow } from '../../../../db/types';
import type { Db } from '../../storage/db';
import { normalizeQuestion } from '../kb/gaps';
import { uploadIdOf } from '../widget/uploads';

export interface RedactionCounts {
  messages: number;
  emails: number;
  /** Knowledge gaps whose question was one of these conversations' (reworded or deleted). */
  knowledgeGaps: number;
  /** Upload ids their messages referenced: the caller deletes the files once the transaction commits. */
  uploadIds: string[];
}

const attachmentsOf = (v: unknown): AttachmentRow[] => (typeof v === 'string' ? JSON.parse(v) : (v ?? [])) as AttachmentRow[];

export type RedactConversationsProps = { ids: string[]; now: Date };

/**
 * Removes the content of these conversations and keeps their shape for reports: every message keeps
 * its author kind, sequence and times but loses its text, attachments and bot metadata; the
 * conversation loses its subject, custom fields and CSAT comment (the rating, a number, stays);
 * mails lose their addresses, subject, bodies and raw source, and so do SMS/WhatsApp/Messenger copies;
 * drafts, knowledge-gap examples, bot turns and agents' notifications (which quote the customer) go. Runs inside the caller's transaction.
 */
export async function redactConversations(trx: Db, { ids, now }: RedactConversationsProps): Promise<RedactionCounts> {
  if (!ids.length) return { messages: 0, emails: 0, knowledgeGaps: 0, uploadIds: [] };
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
  // SMS, WhatsApp and Messenger copies: the text, media and the customer's number or id go; provider,
  // direction, status and the provider's message id stay (delivery counts; a provider's late retry of an
  // inbound message is still recognised as seen and not stored again).
  await trx
    .updateTable('channel_messages')
    .set({ from_address: '', to_address: '', body: '', media: '[]', payload: null, status_reason: null })
    .where('conversation_id', 'in', ids)
    .execute();
  // Agents' notifications quote the customer (their name in the title, their words in the body).
  await trx.deleteFrom('notifications').where('conversation_id', 'in', ids).execute();
  await trx.deleteFrom('drafts').where('conversation_id', 'in', ids).execute();
  const knowledgeGaps = await forgetGapQuestions(trx, ids);
  await trx.deleteFrom('bot_turns').where('conversation_id', 'in', ids).execute();
  return { messages: Number(messages.numUpdatedRows), emails: Number(emails.numUpdatedRows), knowledgeGaps, uploadIds };
}

/**
 * Drops the knowledge-gap examples these conversations gave, and the gap's own question when it is
 * one of theirs (a gap takes its first asker's words): it takes another asker's latest question, or,
 * when nobody else asked, the gap goes. Returns how many gaps were reworded or deleted.
 */
async function forgetGapQuestions(trx: Db, ids: string[]): Promise<number> {
  const examples = await trx
    .deleteFrom('kb_gap_examples')
    .where('conversation_id', 'in', ids)
    .returning(['gap_id', 'question'])
    .execute();
  let touched = 0;
  for (const gapId of new Set(examples.map((e) => e.gap_id))) {
    const gap = await trx.selectFrom('kb_gaps').select(['question', 'normalized']).where('id', '=', gapId).executeTakeFirst();
    if (!gap) continue;
    const theirs = examples.some(
      (e) =>
        e.gap_id === gapId && (e.question.slice(0, 500) === gap.question || normalizeQuestion(e.question) === gap.normalized),
    );
    if (!theirs) continue;
    const other = await trx
      .selectFrom('kb_gap_examples')
      .select('question')
      .where('gap_id', '=', gapId)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (other) {
      await trx
        .updateTable('kb_gaps')
        .set({ question: other.question.slice(0, 500), normalized: normalizeQuestion(other.question) })
        .where('id', '=', gapId)
        .execute();
    } else {
      await trx.deleteFrom('kb_gaps').where('id', '=', gapId).execute();
    }
    touched++;
  }
  return touched;
}
