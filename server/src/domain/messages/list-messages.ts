import { AppError, type Message } from '@autocrm/shared';
import type { Db } from '../../storage/db';
import { assertCanSeeInbox } from '../access/gate';
import type { Actor } from '../actor';
import { presentMessage } from './present-message';

export interface ListMessagesProps {
  actor: Actor;
  conversationId: string;
  afterSeq?: number | undefined;
  beforeSeq?: number | undefined;
  limit: number;
  includePrivate: boolean;
}

/** Messages in seq order; `beforeSeq` pages back through long histories, `afterSeq` catches up. */
export async function listMessages(db: Db, props: ListMessagesProps): Promise<Message[]> {
  const conv = await db
    .selectFrom('conversations')
    .select(['id', 'inbox_id'])
    .where('id', '=', props.conversationId)
    .executeTakeFirst();
  if (!conv) throw new AppError('not_found', 'conversation not found');
  await assertCanSeeInbox(db, { actor: props.actor, inboxId: conv.inbox_id });
  let q = db.selectFrom('messages').selectAll().where('conversation_id', '=', conv.id);
  if (!props.includePrivate) q = q.where('private', '=', false);
  if (props.afterSeq !== undefined) q = q.where('seq', '>', props.afterSeq);
  if (props.beforeSeq !== undefined) {
    // Newest page before the cursor, returned oldest first.
    const rows = await q.where('seq', '<', props.beforeSeq).orderBy('seq', 'desc').limit(props.limit).execute();
    return rows.reverse().map(presentMessage);
  }
  const rows = await q.orderBy('seq', 'asc').limit(props.limit).execute();
  return rows.map(presentMessage);
}
