import { AppError } from '@autocrm/shared';
import { emit } from '../../events/outbox';
import type { Db } from '../../storage/db';
import { presentConversation } from '../conversations/present-conversation';
import type { VisitorContext } from './visitors';

export type RateConversationProps = {
  visitor: VisitorContext;
  conversationId: string;
  rating: number;
  comment?: string | undefined;
};

/** The visitor rates their own conversation once it is resolved or closed; a second rating replaces the first. */
export async function rateConversation(db: Db, { visitor, ...props }: RateConversationProps) {
  return rateOwnConversation(db, { contactId: visitor.contactId, inboxId: visitor.inboxId, ...props });
}

export type RateOwnConversationProps = {
  contactId: string;
  /** The widget's website: only that inbox's conversations; the portal passes none (every channel). */
  inboxId?: string | undefined;
  conversationId: string;
  rating: number;
  comment?: string | undefined;
};

/** The customer's rating of their own conversation (widget or portal): one event, `conversation.rated`. */
export async function rateOwnConversation(db: Db, { contactId, inboxId, ...props }: RateOwnConversationProps) {
  let q = db
    .selectFrom('conversations')
    .select(['id', 'status_category'])
    .where('id', '=', props.conversationId)
    .where('contact_id', '=', contactId);
  if (inboxId) q = q.where('inbox_id', '=', inboxId);
  const conv = await q.executeTakeFirst();
  if (!conv) throw new AppError('not_found', 'conversation not found');
  if (conv.status_category !== 'resolved' && conv.status_category !== 'closed') {
    throw new AppError('conflict', 'a conversation can be rated once it is resolved');
  }
  const row = await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('conversations')
      .set({ csat_rating: props.rating, csat_comment: props.comment || null, csat_at: new Date() })
      .where('id', '=', conv.id)
      .returning(['csat_rating', 'csat_comment', 'csat_at'])
      .executeTakeFirstOrThrow();
    // Agents see it on the conversation; webhooks and reports get the event.
    const conversation = await presentConversation(trx, conv.id);
    if (conversation) {
      await emit(trx, 'conversation.rated', { conversation, rating: props.rating, comment: props.comment || null });
      await emit(trx, 'conversation.updated', { conversation, changed: ['csat'] });
    }
    return updated;
  });
  return { rating: row.csat_rating, comment: row.csat_comment, ratedAt: row.csat_at?.toISOString() ?? null };
}
