import type { ConversationLink } from '@autocrm/shared';
import type { Db } from '../../storage/db';

const REVERSE = { follow_up_of: 'followed_up_by', followed_up_by: 'follow_up_of', related: 'related' } as const;

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
