import { AppError, type ConversationLink } from '@autocrm/shared';
import { emit } from '../../events/outbox';
import type { Db } from '../../storage/db';
import { assertCanSeeConversation } from '../access/gate';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';

const REVERSE = {
  follow_up_of: 'followed_up_by',
  followed_up_by: 'follow_up_of',
  related: 'related',
  merged_into: 'merged_from',
  merged_from: 'merged_into',
} as const;

/** Links two conversations both ways (a second link of the same pair changes nothing). */
export async function linkConversations(
  trx: Db,
  props: { from: string; to: string; kind: ConversationLink['kind'] },
): Promise<void> {
  await trx
    .insertInto('conversation_links')
    .values([
      { conversation_id: props.from, linked_id: props.to, kind: props.kind },
      { conversation_id: props.to, linked_id: props.from, kind: REVERSE[props.kind] },
    ])
    .onConflict((oc) => oc.columns(['conversation_id', 'linked_id']).doNothing())
    .execute();
}

/** The conversations linked to one, oldest link first. */
export async function listLinks(db: Db, conversationId: string): Promise<ConversationLink[]> {
  const rows = await db
    .selectFrom('conversation_links as l')
    .innerJoin('conversations as c', 'c.id', 'l.linked_id')
    .select(['l.linked_id', 'l.kind', 'l.created_at', 'c.number', 'c.subject'])
    .where('l.conversation_id', '=', conversationId)
    .orderBy('l.created_at')
    .execute();
  return rows.map((r) => ({
    conversationId: r.linked_id,
    number: r.number,
    subject: r.subject,
    kind: r.kind,
    createdAt: r.created_at.toISOString(),
  }));
}

/**
 * An agent marks two conversations as related (both sides show it) or removes that mark. Only
 * `related` links are the agent's to remove: follow-ups and merges record what happened.
 */
export async function setRelated(
  db: Db,
  props: { actor: Actor; conversationId: string; linkedId: string; linked: boolean },
): Promise<ConversationLink[]> {
  const { actor, conversationId, linkedId, linked } = props;
  if (conversationId === linkedId) {
    throw new AppError('validation_failed', 'linkedId: a conversation cannot be linked to itself', [
      { path: 'linkedId', message: 'is the same conversation' },
    ]);
  }
  return db.transaction().execute(async (trx) => {
    await assertCanSeeConversation(trx, { actor, conversationId });
    await assertCanSeeConversation(trx, { actor, conversationId: linkedId });
    if (linked) {
      await linkConversations(trx, { from: conversationId, to: linkedId, kind: 'related' });
    } else {
      const removed = await trx
        .deleteFrom('conversation_links')
        .where('kind', '=', 'related')
        .where((eb) =>
          eb.or([
            eb.and([eb('conversation_id', '=', conversationId), eb('linked_id', '=', linkedId)]),
            eb.and([eb('conversation_id', '=', linkedId), eb('linked_id', '=', conversationId)]),
          ]),
        )
        .executeTakeFirst();
      if (Number(removed.numDeletedRows) === 0) throw new AppError('not_found', 'no related link between these conversations');
    }
    await recordAudit(trx, {
      actor,
      action: linked ? 'conversation.linked' : 'conversation.unlinked',
      entityType: 'conversation',
      entityId: conversationId,
      after: { linkedId },
    });
    await emit(trx, 'conversation.linked', { conversationId, linkedId, linked });
    return listLinks(trx, conversationId);
  });
}
