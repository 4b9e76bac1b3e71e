import { AppError } from '@autocrm/shared';
import type { Db } from '../../storage/db';
import { assertCanSeeConversation, assertCanSeeInbox } from '../access/gate';
import type { Actor } from '../actor';
import { presentConversation } from './present-conversation';

export type StatusHistoryProps = { actor: Actor; conversationId: string };

export async function statusHistory(db: Db, { actor, conversationId }: StatusHistoryProps) {
  await assertCanSeeConversation(db, { actor, conversationId });
  const rows = await db
    .selectFrom('status_history')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    fromStatusId: r.from_status_id,
    toStatusId: r.to_status_id,
    actor: r.actor,
    at: r.at.toISOString(),
  }));
}

export type GetVisibleConversationProps = { actor: Actor; id: string };

export async function getVisibleConversation(db: Db, { actor, id }: GetVisibleConversationProps) {
  const conversation = await presentConversation(db, id);
  if (!conversation) throw new AppError('not_found', 'conversation not found');
  await assertCanSeeInbox(db, { actor, inboxId: conversation.inboxId });
  return conversation;
}
