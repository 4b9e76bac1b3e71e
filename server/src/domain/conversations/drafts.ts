import type { Db } from '../../storage/db';

/** A conversation's shared reply draft: the stored Yjs state, if any. */
export async function loadDraft(db: Db, props: { conversationId: string }): Promise<Uint8Array | undefined> {
  const row = await db
    .selectFrom('drafts')
    .select('state')
    .where('conversation_id', '=', props.conversationId)
    .executeTakeFirst();
  return row ? new Uint8Array(row.state) : undefined;
}

/** Stores (or replaces) a conversation's draft state; `updatedBy` is the last editor, when known. */
export async function storeDraft(db: Db, props: { conversationId: string; state: Uint8Array; updatedBy: string | null }) {
  const { conversationId, state, updatedBy } = props;
  await db
    .insertInto('drafts')
    .values({ conversation_id: conversationId, state, updated_by: updatedBy, updated_at: new Date() })
    .onConflict((oc) => oc.column('conversation_id').doUpdateSet({ state, updated_by: updatedBy, updated_at: new Date() }))
    .execute();
}
