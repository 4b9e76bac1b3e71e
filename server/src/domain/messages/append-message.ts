import { AppError, type AuthorKind, type Message, type MessageCreate, type MessageMeta } from '@autocrm/shared';
import { emit } from '../../events/outbox';
import type { Db } from '../../storage/db';
import { handOffToPerson } from '../conversations/hand-off';
import { presentConversation } from '../conversations/present-conversation';
import { htmlToPlainText, plainTextToHtml, sanitizeRichText } from '../text/sanitize';
import { presentMessage } from './present-message';

export interface AppendMessageProps {
  conversationId: string;
  authorKind: AuthorKind;
  authorId: string | null;
  /** Rich text (HTML) from agents and bots; plain text from contacts. */
  body: string;
  private?: boolean | undefined;
  clientId?: string | undefined;
  attachments?: MessageCreate['attachments'];
  /** Bot messages: cited articles and offered actions. */
  meta?: MessageMeta | undefined;
}

export interface AppendResult {
  message: Message;
  /** True when the client id had been stored before: nothing new was written. */
  duplicate: boolean;
}

/**
 * Stores a message with the room's next seq, inside the caller's transaction. The conversation row is
 * locked first, so concurrent sends to one room are numbered one after another and a retried client
 * id finds the message its first attempt stored.
 */
export async function appendMessage(trx: Db, props: AppendMessageProps): Promise<AppendResult> {
  const conv = await trx
    .selectFrom('conversations')
    .select(['id', 'last_seq', 'first_response_at', 'waiting_since', 'owner'])
    .where('id', '=', props.conversationId)
    .forUpdate()
    .executeTakeFirst();
  if (!conv) throw new AppError('not_found', 'conversation not found');

  if (props.clientId) {
    const existing = await trx
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conv.id)
      .where('client_id', '=', props.clientId)
      .executeTakeFirst();
    if (existing) return { message: presentMessage(existing), duplicate: true };
  }

  const isPrivate = props.private ?? false;
  if (isPrivate && props.authorKind === 'contact') {
    throw new AppError('validation_failed', 'private: a contact cannot write internal notes', [
      { path: 'private', message: 'a contact cannot write internal notes' },
    ]);
  }
  const bodyHtml = props.authorKind === 'contact' ? plainTextToHtml(props.body) : sanitizeRichText(props.body);
  const bodyText = htmlToPlainText(bodyHtml);
  if (!bodyText && !props.attachments?.length && !/<img /.test(bodyHtml)) {
    throw new AppError('validation_failed', 'body: is empty after sanitizing', [
      { path: 'body', message: 'is empty after sanitizing' },
    ]);
  }

  const now = new Date();
  const seq = conv.last_seq + 1;
  const publicReply = !isPrivate && (props.authorKind === 'agent' || props.authorKind === 'bot');
  await trx
    .updateTable('conversations')
    .set({
      last_seq: seq,
      last_activity_at: now,
      updated_at: now,
      ...(publicReply && props.authorKind === 'agent' && !conv.first_response_at ? { first_response_at: now } : {}),
      // Waiting time runs from the customer's first unanswered message until someone replies.
      ...(props.authorKind === 'contact' && !conv.waiting_since ? { waiting_since: now } : {}),
      ...(publicReply ? { waiting_since: null } : {}),
    })
    .where('id', '=', conv.id)
    .execute();

  const row = await trx
    .insertInto('messages')
    .values({
      conversation_id: conv.id,
      seq,
      author_kind: props.authorKind,
      author_id: props.authorId,
      private: isPrivate,
      body_html: bodyHtml,
      body_text: bodyText,
      client_id: props.clientId ?? null,
      attachments: JSON.stringify(props.attachments ?? []),
      meta: props.meta ? JSON.stringify(props.meta) : null,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();

  // A person answering in public takes the room from the bot, in the same transaction as the reply.
  if (publicReply && props.authorKind === 'agent' && conv.owner === 'bot') {
    await handOffToPerson(trx, { conversationId: conv.id, reason: 'agent_replied', actorId: props.authorId });
  }

  const message = presentMessage(row);
  const conversation = await presentConversation(trx, conv.id);
  if (conversation) await emit(trx, 'message.created', { message, conversation });
  return { message, duplicate: false };
}
