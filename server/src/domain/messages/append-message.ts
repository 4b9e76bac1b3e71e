import {
  AppError,
  type AuthorKind,
  type Conversation,
  type DomainEvent,
  type Message,
  type MessageCreate,
  type MessageMeta,
} from '@autocrm/shared';
import { emitReturning } from '../../events/outbox';
import type { Db } from '../../storage/db';
import { queueBotTurnFor } from '../bot/queue-bot-turn';
import { handOffToAgent } from '../conversations/complete-handoff';
import { conversationFromRow, conversationTagNames, presentConversation } from '../conversations/present-conversation';
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
  /** The conversation as it is after this message (not loaded for a duplicate). */
  conversation?: Conversation | undefined;
  /** The `message.created` event written with it (not for a duplicate): fanned out early by the writer. */
  event?: DomainEvent<'message.created'> | undefined;
}

/**
 * Stores a message with the room's next seq, inside the caller's transaction. The conversation row is
 * updated (and so locked) first, so concurrent sends to one room are numbered one after another and a
 * retried client id finds the message its first attempt stored. Three statements on the common path
 * (bump the room, insert the message, write the event): this is the hottest write in the product.
 */
export async function appendMessage(trx: Db, props: AppendMessageProps): Promise<AppendResult> {
  const isPrivate = props.private ?? false;
  if (isPrivate && props.authorKind === 'contact') {
    throw new AppError('validation_failed', 'private: a contact cannot write internal notes', [
      { path: 'private', message: 'a contact cannot write internal notes' },
    ]);
  }
  const bodyHtml = props.authorKind === 'contact' ? plainTextToHtml(props.body) : sanitizeRichText(props.body, { message: true });
  const bodyText = htmlToPlainText(bodyHtml);
  if (!bodyText && !props.attachments?.length && !/<img /.test(bodyHtml)) {
    throw new AppError('validation_failed', 'body: is empty after sanitizing', [
      { path: 'body', message: 'is empty after sanitizing' },
    ]);
  }

  const now = new Date();
  const clientId = props.clientId ?? null;
  const publicReply = !isPrivate && (props.authorKind === 'agent' || props.authorKind === 'bot');
  // The next seq, the room's new state and what the event shows of it, in one statement. A client id
  // already stored leaves the room untouched (no row comes back) and the stored message is returned.
  const conv = await trx
    .updateTable('conversations as c')
    .from(['statuses as s', 'inboxes as i'])
    .set((eb) => ({
      last_seq: eb('c.last_seq', '+', 1),
      // A system line (an automation firing, a merge, a reminder) is not activity: it must not restart
      // auto-resolve's idle countdown nor move the room up an "activity" list.
      ...(props.authorKind === 'system' ? {} : { last_activity_at: now }),
      updated_at: now,
      ...(publicReply && props.authorKind === 'agent'
        ? { first_response_at: eb.fn.coalesce('c.first_response_at', eb.val(now)) }
        : {}),
      // Waiting time runs from the customer's first unanswered message until someone replies.
      ...(props.authorKind === 'contact' ? { waiting_since: eb.fn.coalesce('c.waiting_since', eb.val(now)) } : {}),
      ...(publicReply ? { waiting_since: null } : {}),
    }))
    .whereRef('s.id', '=', 'c.status_id')
    .whereRef('i.id', '=', 'c.inbox_id')
    .where('c.id', '=', props.conversationId)
    .$if(clientId !== null, (q) =>
      q.where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('messages as m')
              .select('m.id')
              .whereRef('m.conversation_id', '=', 'c.id')
              .where('m.client_id', '=', clientId),
          ),
        ),
      ),
    )
    .returningAll('c')
    .returning(['s.name as status_name', 'i.channel as channel', conversationTagNames])
    .executeTakeFirst();
  if (!conv) {
    const existing = clientId
      ? await trx
          .selectFrom('messages')
          .selectAll()
          .where('conversation_id', '=', props.conversationId)
          .where('client_id', '=', clientId)
          .executeTakeFirst()
      : undefined;
    if (existing) return { message: presentMessage(existing), duplicate: true };
    throw new AppError('not_found', 'conversation not found');
  }

  const row = await trx
    .insertInto('messages')
    .values({
      conversation_id: conv.id,
      seq: conv.last_seq,
      author_kind: props.authorKind,
      author_id: props.authorId,
      private: isPrivate,
      body_html: bodyHtml,
      body_text: bodyText,
      client_id: clientId,
      attachments: JSON.stringify(props.attachments ?? []),
      meta: props.meta ? JSON.stringify(props.meta) : null,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();

  // A person answering in public takes the room from the bot, in the same transaction as the reply.
  let conversation: Conversation | undefined = conversationFromRow(conv);
  if (publicReply && props.authorKind === 'agent' && conv.owner === 'bot') {
    await handOffToAgent(trx, { conversationId: conv.id, reason: 'agent_replied', actorId: props.authorId });
    conversation = await presentConversation(trx, conv.id);
  }

  // A customer writing to the bot: its turn is queued here, in the message's own transaction, so the bot
  // starts at commit (the relay's listener queues it too for messages written elsewhere: once either way).
  if (props.authorKind === 'contact' && !isPrivate && conv.owner === 'bot')
    await queueBotTurnFor(trx, { conversationId: conv.id, messageId: row.id });

  const message = presentMessage(row);
  const event = conversation ? await emitReturning(trx, 'message.created', { message, conversation }) : undefined;
  return { message, duplicate: false, conversation, event };
}

/**
 * Runs a send in its own transaction. Two sends of one client id at the same moment (a resend racing
 * its original) both pass the duplicate check before either commits; the loser hits the unique index
 * on (conversation_id, client_id) and rolls back, and running it once more finds the winner's message.
 */
export async function inSendTransaction<T>(db: Db, send: (trx: Db) => Promise<T>): Promise<T> {
  try {
    return await db.transaction().execute(send);
  } catch (err) {
    const e = err as { code?: string; constraint?: string; message?: string };
    const clientIdRace = e?.code === '23505' && `${e.constraint ?? ''} ${e.message ?? ''}`.includes('messages_client_id_idx');
    if (!clientIdRace) throw err;
    return db.transaction().execute(send);
  }
}
