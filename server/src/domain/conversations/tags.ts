import type { Db } from '../../storage/db';

/** Tag ids for (lower-case) names, creating the missing tags. */
export async function resolveTagIds(trx: Db, names: string[]): Promise<string[]> {
  const unique = [...new Set(names)];
  if (unique.length === 0) return [];
  await trx
    .insertInto('tags')
    .values(unique.map((name) => ({ name, color: null })))
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const rows = await trx.selectFrom('tags').select(['id', 'name']).where('name', 'in', unique).execute();
  return rows.map((r) => r.id);
}

export type SetConversationTagsProps = { conversationId: string; tagIds: string[] };

export async function setConversationTags(trx: Db, { conversationId, tagIds }: SetConversationTagsProps): Promise<void> {
  await trx.deleteFrom('conversation_tags').where('conversation_id', '=', conversationId).execute();
  if (tagIds.length) {
    await trx
      .insertInto('conversation_tags')
      .values(tagIds.map((tag_id) => ({ conversation_id: conversationId, tag_id })))
      .execute();
  }
}

export async function currentTagNames(trx: Db, conversationId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('conversation_tags as ct')
    .innerJoin('tags as t', 't.id', 'ct.tag_id')
    .select('t.name')
    .where('ct.conversation_id', '=', conversationId)
    .execute();
  return rows.map((r) => r.name);
}
