import { AppError, type Conversation, type SnoozeInput } from '@autocrm/shared';
import { emit } from '../../events/outbox';
import type { Db } from '../../storage/db';
import { assertCanSeeInbox } from '../access/gate';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';
import { presentConversation } from '../conversations/present-conversation';

/**
 * Snoozes a conversation: it leaves the queues until the time given and/or until the customer replies,
 * whichever comes first. Snoozing again replaces the earlier snooze.
 */
export async function snoozeConversation(
  db: Db,
  props: { actor: Actor; conversationId: string; input: SnoozeInput; now: Date },
): Promise<Conversation> {
  const { actor, input, now } = props;
  const until = input.until ? new Date(input.until) : null;
  if (until && until.getTime() <= now.getTime())
    throw new AppError('validation_failed', 'until: must be in the future', [
      { path: 'until', message: 'must be in the future' },
    ]);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('conversations')
      .select(['inbox_id', 'status_category'])
      .where('id', '=', props.conversationId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new AppError('not_found', 'conversation not found');
    await assertCanSeeInbox(trx, { actor, inboxId: row.inbox_id });
    if (row.status_category === 'resolved' || row.status_category === 'closed')
      throw new AppError('conflict', 'a resolved or closed conversation cannot be snoozed');
    const before = await presentConversation(trx, props.conversationId);
    await trx
      .updateTable('conversations')
      .set({
        snoozed_until: until,
        snooze_until_reply: input.untilReply ?? false,
        snoozed_by: actor.kind === 'user' ? actor.id : null,
        updated_at: now,
      })
      .where('id', '=', props.conversationId)
      .execute();
    const conversation = await presentConversation(trx, props.conversationId);
    if (!conversation) throw new Error('conversation vanished inside its own transaction');
    await emit(trx, 'conversation.updated', { conversation, changed: ['snooze'] });
    await recordAudit(trx, {
      actor,
      action: 'conversation.snoozed',
      entityType: 'conversation',
      entityId: conversation.id,
      before: before?.snooze ?? null,
      after: conversation.snooze,
    });
    return conversation;
  });
}

/**
 * Ends a snooze inside the caller's transaction (the time came, the customer replied, an agent woke
 * it). Returns false when it was not snoozed (a second wake-up of the same snooze changes nothing).
 */
export async function endSnooze(
  trx: Db,
  props: { conversationId: string; reason: 'time' | 'reply' | 'agent'; now: Date },
): Promise<boolean> {
  const ended = await trx
    .selectFrom('conversations')
    .select('snoozed_by')
    .where('id', '=', props.conversationId)
    .where((eb) => eb.or([eb('snoozed_until', 'is not', null), eb('snooze_until_reply', '=', true)]))
    .forUpdate()
    .executeTakeFirst();
  if (!ended) return false;
  await trx
    .updateTable('conversations')
    .set({ snoozed_until: null, snooze_until_reply: false, snoozed_by: null, updated_at: props.now })
    .where('id', '=', props.conversationId)
    .execute();
  const conversation = await presentConversation(trx, props.conversationId);
  if (!conversation) return false;
  await emit(trx, 'conversation.updated', { conversation, changed: ['snooze'] });
  await emit(trx, 'conversation.snooze_ended', { conversation, reason: props.reason, snoozedBy: ended.snoozed_by });
  return true;
}

/** An agent wakes a snoozed conversation by hand. */
export async function wakeConversation(db: Db, props: { actor: Actor; conversationId: string; now: Date }) {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('conversations')
      .select('inbox_id')
      .where('id', '=', props.conversationId)
      .executeTakeFirst();
    if (!row) throw new AppError('not_found', 'conversation not found');
    await assertCanSeeInbox(trx, { actor: props.actor, inboxId: row.inbox_id });
    await endSnooze(trx, { conversationId: props.conversationId, reason: 'agent', now: props.now });
    const conversation = await presentConversation(trx, props.conversationId);
    if (!conversation) throw new AppError('not_found', 'conversation not found');
    return conversation;
  });
}
