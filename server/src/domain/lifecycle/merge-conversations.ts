import { AppError, type Conversation } from '@autocrm/shared';
import { sql } from 'kysely';
import { emit } from '../../events/outbox';
import type { Db } from '../../storage/db';
import { assertCanSeeConversation } from '../access/gate';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';
import { presentConversation } from '../conversations/present-conversation';
import { applyConversationUpdate } from '../conversations/update-conversation';
import { appendMessage } from '../messages/append-message';
import { takeRoutingLock } from '../routing/routing-lock';
import { linkConversations } from './links';

export interface MergeResult {
  primary: Conversation;
  secondary: Conversation;
  movedMessages: number;
}

/** The status a merged conversation ends in: a closed one if the workspace has it, else a resolved one. */
async function finishedStatus(trx: Db) {
  return trx
    .selectFrom('statuses')
    .select(['id'])
    .where('category', 'in', ['closed', 'resolved'])
    .orderBy(sql`CASE WHEN category = 'closed' THEN 0 ELSE 1 END`)
    .orderBy('position')
    .executeTakeFirstOrThrow();
}

/**
 * Merges a duplicate (secondary) into a primary conversation, all or nothing. The secondary's messages
 * move to the primary with the primary's next seqs, in their own order, after a system line: numbers
 * already handed to clients of the primary never change meaning (the room's seq promise), and each
 * moved message keeps its id, time and author. When the two belong to different contacts the agent
 * must confirm, and the moved messages become internal notes: one customer never sees another's chat.
 * The secondary is closed, points at the primary (a customer who writes to it again lands in the
 * primary) and both are linked. `conversation.merged` tells live clients to move.
 */
export async function mergeConversations(
  db: Db,
  props: { actor: Actor; primaryId: string; secondaryId: string; confirmDifferentContact?: boolean | undefined },
): Promise<MergeResult> {
  const { actor, primaryId, secondaryId } = props;
  if (primaryId === secondaryId) {
    throw new AppError('validation_failed', 'secondaryId: a conversation cannot be merged into itself', [
      { path: 'secondaryId', message: 'is the same conversation' },
    ]);
  }
  return db.transaction().execute(async (trx) => {
    // Both hidden or missing answer the same not_found: an agent learns nothing about other inboxes.
    await assertCanSeeConversation(trx, { actor, conversationId: primaryId });
    await assertCanSeeConversation(trx, { actor, conversationId: secondaryId });
    // Routing locks queued conversations one by one in queue order under its advisory lock; taking that
    // lock first (as every routing transaction does) keeps a merge and a routing round from locking the
    // same two rows in opposite orders. Then id order, so two merges of one pair cannot deadlock either.
    await takeRoutingLock(trx);
    const rows = await trx
      .selectFrom('conversations')
      .selectAll()
      .where('id', 'in', [primaryId, secondaryId])
      .orderBy('id')
      .forUpdate()
      .execute();
    const primary = rows.find((r) => r.id === primaryId);
    const secondary = rows.find((r) => r.id === secondaryId);
    if (!primary || !secondary) throw new AppError('not_found', 'conversation not found');
    if (secondary.merged_into_id)
      throw new AppError('conflict', `#${secondary.number} was already merged into another conversation`);
    if (primary.merged_into_id) {
      throw new AppError('conflict', `#${primary.number} was merged into another conversation: merge into that one instead`);
    }
    const crossContact = primary.contact_id !== secondary.contact_id;
    if (crossContact && !props.confirmDifferentContact) {
      throw new AppError(
        'conflict',
        'the two conversations belong to different contacts: confirm (confirmDifferentContact) to merge; the moved messages become internal notes',
      );
    }

    const count = await trx
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('conversation_id', '=', secondaryId)
      .executeTakeFirstOrThrow();
    const moved = Number(count.n);
    const subject = secondary.subject ? ` (${secondary.subject})` : '';
    await appendMessage(trx, {
      conversationId: primaryId,
      authorKind: 'system',
      authorId: null,
      private: crossContact,
      body: `<p>Conversation #${secondary.number}${escapeHtml(subject)} was merged into this one: its ${moved} message${moved === 1 ? '' : 's'} follow${moved === 1 ? 's' : ''}${crossContact ? ' as internal notes (another contact wrote them)' : ''}.</p>`,
    });
    if (moved > 0) {
      // One statement moves them all: new seqs after the system line, in the secondary's order. A past
      // revision's seq belonged to the other room, so it is dropped (the message shows as it is now).
      const origin = JSON.stringify({ mergedFrom: { conversationId: secondaryId, number: secondary.number } });
      await sql`
        UPDATE messages AS m
        SET conversation_id = ${primaryId},
            seq = c.last_seq + r.rn,
            revision_seq = NULL,
            private = m.private OR ${crossContact},
            meta = coalesce(m.meta, '{}'::jsonb) || ${origin}::jsonb
        FROM (SELECT id, row_number() OVER (ORDER BY seq) AS rn FROM messages WHERE conversation_id = ${secondaryId}) AS r,
             conversations AS c
        WHERE m.id = r.id AND c.id = ${primaryId}`.execute(trx);
      await trx
        .updateTable('conversations')
        .set((eb) => ({
          last_seq: eb('last_seq', '+', moved),
          last_activity_at: new Date(Math.max(secondary.last_activity_at.getTime(), primary.last_activity_at.getTime())),
          updated_at: new Date(),
        }))
        .where('id', '=', primaryId)
        .execute();
      // Read cursors of the secondary count in its old numbering: the reader starts over in the primary.
      await trx.deleteFrom('read_cursors').where('conversation_id', '=', secondaryId).execute();
    }
    // Later mail in the secondary's thread threads into the primary.
    await trx
      .updateTable('email_messages')
      .set({ conversation_id: primaryId })
      .where('conversation_id', '=', secondaryId)
      .execute();

    await trx.updateTable('conversations').set({ merged_into_id: primaryId }).where('id', '=', secondaryId).execute();
    await appendMessage(trx, {
      conversationId: secondaryId,
      authorKind: 'system',
      authorId: null,
      body: `<p>This conversation was merged into #${primary.number}.</p>`,
    });
    const finished = await finishedStatus(trx);
    if (secondary.status_id !== finished.id)
      await applyConversationUpdate(trx, { actor, id: secondaryId, update: { statusId: finished.id } });
    await linkConversations(trx, { from: secondaryId, to: primaryId, kind: 'merged_into' });

    const primaryAfter = await presentConversation(trx, primaryId);
    const secondaryAfter = await presentConversation(trx, secondaryId);
    if (!primaryAfter || !secondaryAfter) throw new Error('merged conversation vanished inside its own transaction');
    await recordAudit(trx, {
      actor,
      action: 'conversation.merged',
      entityType: 'conversation',
      entityId: secondaryId,
      before: {
        conversationId: secondaryId,
        number: secondary.number,
        contactId: secondary.contact_id,
        lastSeq: secondary.last_seq,
      },
      after: { mergedInto: primaryId, number: primary.number, movedMessages: moved, crossContact },
    });
    await emit(trx, 'conversation.merged', {
      primary: primaryAfter,
      secondary: secondaryAfter,
      movedMessages: moved,
      firstMovedSeq: primaryAfter.lastSeq - moved + 1,
      crossContact,
    });
    return { primary: primaryAfter, secondary: secondaryAfter, movedMessages: moved };
  });
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
