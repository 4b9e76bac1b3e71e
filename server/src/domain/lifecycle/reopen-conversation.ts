import type { Message } from '@autocrm/shared';
import type { ConversationRow } from '../../../../db/types';
import { emit } from '../../events/outbox';
import type { Db } from '../../storage/db';
import { SYSTEM } from '../actor';
import { recordAudit } from '../audit/record-audit';
import { createConversationInTransaction } from '../conversations/create-conversation';
import { presentConversation } from '../conversations/present-conversation';
import { applyConversationUpdate } from '../conversations/update-conversation';
import { appendMessage } from '../messages/append-message';
import { botSettingsOf } from '../widget/settings';
import { lifecycleOf } from './lifecycle-settings';
import { linkConversations } from './links';

const DAY_MS = 86_400_000;

/** The status a reopened conversation gets: the default one if it is an open status, else the first open one. */
export async function openStatus(trx: Db) {
  return trx
    .selectFrom('statuses')
    .select(['id', 'name'])
    .where('category', '=', 'open')
    .orderBy('is_default', 'desc')
    .orderBy('position')
    .executeTakeFirstOrThrow();
}

/**
 * A customer wrote in a resolved or closed conversation. Within the inbox's reopen window (or with no
 * window) the conversation opens again, in the transaction that dispatches the message's event: its
 * status changes (routing restarts the SLA clock and routes it if nobody has it; the bot answers if it
 * still owns the room), the old round's rating is archived, agents see a note, the previous assignee
 * is notified. Past the window a new conversation continues it, linked both ways.
 */
export async function reopenOnCustomerMessage(trx: Db, props: { message: Message; now: Date }): Promise<void> {
  const { message, now } = props;
  const row = await trx
    .selectFrom('conversations as c')
    .innerJoin('inboxes as i', 'i.id', 'c.inbox_id')
    .leftJoin('users as u', 'u.id', 'c.assignee_id')
    .selectAll('c')
    .select(['i.settings', 'i.channel', 'u.active as assignee_active'])
    .where('c.id', '=', message.conversationId)
    .forUpdate('c')
    .executeTakeFirst();
  if (row?.merged_into_id) {
    await forwardToPrimary(trx, row.merged_into_id, message);
    return;
  }
  if (!row || (row.status_category !== 'resolved' && row.status_category !== 'closed')) return;

  const { reopenWindowDays } = lifecycleOf(row.settings);
  const resolvedAt = row.resolved_at ?? row.updated_at;
  if (reopenWindowDays !== null && now.getTime() - resolvedAt.getTime() > reopenWindowDays * DAY_MS) {
    await startFollowUp(trx, row, message);
    return;
  }

  if (row.csat_rating !== null) {
    // The rating belongs to the round it rated: kept in the audit log, so the widget asks again next time.
    await trx
      .updateTable('conversations')
      .set({ csat_rating: null, csat_comment: null, csat_at: null })
      .where('id', '=', row.id)
      .execute();
    await recordAudit(trx, {
      actor: SYSTEM,
      action: 'conversation.csat_archived',
      entityType: 'conversation',
      entityId: row.id,
      before: { rating: row.csat_rating, comment: row.csat_comment, ratedAt: row.csat_at },
    });
  }
  const status = await openStatus(trx);
  // An assignee who left the team cannot answer: the conversation goes back through routing instead.
  const keepAssignee = row.assignee_id !== null && row.assignee_active === true;
  const conversation = await applyConversationUpdate(trx, {
    actor: SYSTEM,
    id: row.id,
    update: {
      statusId: status.id,
      ...(row.assignee_id && !keepAssignee ? { assigneeId: null } : {}),
    },
  });
  await appendMessage(trx, {
    conversationId: row.id,
    authorKind: 'system',
    authorId: null,
    private: true,
    body: '<p>Reopened: the customer wrote again.</p>',
  });
  await emit(trx, 'conversation.reopened', {
    conversation: (await presentConversation(trx, row.id)) ?? conversation,
    previousAssigneeId: row.assignee_id,
    messageId: message.id,
    followUpId: null,
  });
}

async function startFollowUp(
  trx: Db,
  old: ConversationRow & { settings: Record<string, unknown>; channel: string },
  message: Message,
): Promise<void> {
  const created = await createConversationInTransaction(trx, {
    actor: SYSTEM,
    owner: old.channel === 'web' && botSettingsOf(old.settings).enabled ? 'bot' : 'human',
    locale: old.locale,
    input: { inboxId: old.inbox_id, contactId: old.contact_id, ...(old.subject ? { subject: old.subject } : {}) },
  });
  await appendMessage(trx, {
    conversationId: created.id,
    authorKind: 'contact',
    authorId: message.authorId,
    body: message.bodyText,
    // The copy's client id makes a second dispatch of the same event find it instead of copying twice.
    clientId: `follow-up:${message.id}`,
    attachments: message.attachments,
  });
  await linkConversations(trx, { from: created.id, to: old.id, kind: 'follow_up_of' });
  await appendMessage(trx, {
    conversationId: old.id,
    authorKind: 'system',
    authorId: null,
    body: `<p>This conversation continues in a new one (#${created.number}).</p>`,
  });
  const conversation = await presentConversation(trx, old.id);
  if (!conversation) return;
  await emit(trx, 'conversation.reopened', {
    conversation,
    previousAssigneeId: old.assignee_id,
    messageId: message.id,
    followUpId: created.id,
  });
}

/**
 * A customer wrote in a conversation that was merged into another (an old mail thread, a widget that
 * was offline during the merge): the message continues in the primary, which reopens like any other.
 */
async function forwardToPrimary(trx: Db, primaryId: string, message: Message): Promise<void> {
  // The copy's own message.created reopens the primary if it is finished.
  await appendMessage(trx, {
    conversationId: primaryId,
    authorKind: 'contact',
    authorId: message.authorId,
    body: message.bodyText,
    // The copy's client id makes a second dispatch of the same event find it instead of copying twice.
    clientId: `merged:${message.id}`,
    attachments: message.attachments,
  });
}
