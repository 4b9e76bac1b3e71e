import { AppError, type Conversation, type ConversationUpdate } from '@autocrm/shared';
import { emit } from '../../events/outbox';
import type { Db } from '../../storage/db';
import { assertCanSeeInbox } from '../access/gate';
import { type Actor, actorLabel } from '../actor';
import { recordAudit } from '../audit/record-audit';
import { takeRoutingLock } from '../routing/routing-lock';
import { applyCustomFieldChanges } from './custom-fields';
import { presentConversation } from './present-conversation';
import { assertAssignable, assertTeam, resolveStatus } from './references';
import { currentTagNames, resolveTagIds, setConversationTags } from './tags';

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export type ApplyConversationUpdateProps = { actor: Actor; id: string; update: ConversationUpdate };

/**
 * Applies one update to one conversation inside the caller's transaction: status history, audit and
 * events are written with it. Returns the conversation as it now is.
 */
export async function applyConversationUpdate(
  trx: Db,
  { actor, id, update }: ApplyConversationUpdateProps,
): Promise<Conversation> {
  const row = await trx.selectFrom('conversations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row) throw new AppError('not_found', `conversation ${id} not found`);
  await assertCanSeeInbox(trx, { actor, inboxId: row.inbox_id });
  const before = await presentConversation(trx, id);
  if (!before) throw new AppError('not_found', `conversation ${id} not found`);

  const now = new Date();
  const set: Record<string, unknown> = {};
  if (update.subject !== undefined && update.subject !== row.subject) set.subject = update.subject;
  if (update.priority && update.priority !== row.priority) set.priority = update.priority;
  if (update.assigneeId !== undefined && update.assigneeId !== row.assignee_id) {
    if (update.assigneeId) await assertAssignable(trx, update.assigneeId);
    set.assignee_id = update.assigneeId;
  }
  if (update.teamId !== undefined && update.teamId !== row.team_id) {
    if (update.teamId) await assertTeam(trx, update.teamId);
    set.team_id = update.teamId;
  }
  if (update.statusId && update.statusId !== row.status_id) {
    const status = await resolveStatus(trx, update.statusId);
    set.status_id = status.id;
    set.status_category = status.category;
    const done = status.category === 'resolved' || status.category === 'closed';
    set.resolved_at = done ? (row.resolved_at ?? now) : null;
    // Open again: back in the lists (retention archives it anew once it is done and old enough).
    if (!done && row.archived_at) set.archived_at = null;
    await trx
      .insertInto('status_history')
      .values({ conversation_id: id, from_status_id: row.status_id, to_status_id: status.id, actor: actorLabel(actor), at: now })
      .execute();
  }
  if (update.customFields) {
    const next = await applyCustomFieldChanges(trx, {
      current: row.custom_fields,
      changes: update.customFields,
      opts: { creating: false },
    });
    if (!sameJson(next, row.custom_fields)) set.custom_fields = JSON.stringify(next);
  }
  let tagsChanged = false;
  let addedTags: string[] = [];
  if (update.tags || update.addTags || update.removeTags) {
    const current = await currentTagNames(trx, id);
    let next = update.tags ? [...update.tags] : [...current];
    next.push(...(update.addTags ?? []));
    const removing = new Set(update.removeTags ?? []);
    next = [...new Set(next)].filter((t) => !removing.has(t));
    if (!sameJson([...next].sort(), [...current].sort())) {
      await setConversationTags(trx, { conversationId: id, tagIds: await resolveTagIds(trx, next) });
      tagsChanged = true;
      addedTags = next.filter((t) => !current.includes(t));
    }
  }

  const changedColumns = Object.keys(set);
  if (changedColumns.length === 0 && !tagsChanged) return before;
  await trx
    .updateTable('conversations')
    .set({ ...set, updated_at: now })
    .where('id', '=', id)
    .execute();

  const after = await presentConversation(trx, id);
  if (!after) throw new Error('conversation vanished inside its own transaction');
  const changed = (Object.keys(after) as (keyof Conversation)[]).filter(
    (k) => k !== 'updatedAt' && !sameJson(before[k], after[k]),
  );
  await emit(trx, 'conversation.updated', { conversation: after, changed, ...(addedTags.length ? { addedTags } : {}) });
  if (set.status_id) {
    await emit(trx, 'conversation.status_changed', {
      conversation: after,
      fromStatusId: row.status_id,
      toStatusId: after.status.id,
    });
  }
  if ('assignee_id' in set) {
    await emit(trx, 'conversation.assigned', {
      conversation: after,
      fromAssigneeId: row.assignee_id,
      toAssigneeId: after.assigneeId,
    });
  }
  await recordAudit(trx, { actor, action: 'conversation.updated', entityType: 'conversation', entityId: id, before, after });
  return after;
}

export type UpdateConversationProps = { actor: Actor; id: string; update: ConversationUpdate };

export async function updateConversation(db: Db, { actor, id, update }: UpdateConversationProps) {
  return db.transaction().execute((trx) => applyConversationUpdate(trx, { actor, id, update }));
}

export type BulkUpdateConversationsProps = { actor: Actor; ids: string[]; update: ConversationUpdate };

/** The same update on many conversations in one transaction: every one changes, or none does. */
export async function bulkUpdateConversations(db: Db, { actor, ids, update }: BulkUpdateConversationsProps) {
  const unique = [...new Set(ids)].sort(); // a fixed lock order, so two bulk updates cannot deadlock
  return db.transaction().execute(async (trx) => {
    // Routing locks rows in queue order under its advisory lock: many rows locked here take it first.
    if (unique.length > 1) await takeRoutingLock(trx);
    const results: Conversation[] = [];
    for (const id of unique) results.push(await applyConversationUpdate(trx, { actor, id, update }));
    return results;
  });
}
