import type { Extension, onLoadDocumentPayload, onStoreDocumentPayload } from '@hocuspocus/server';
import * as Y from 'yjs';
import type { Db } from '../storage/db';
import { conversationIdOf } from './document-name';

/**
 * Stores each draft's Yjs state in `drafts` (Hocuspocus debounces onStoreDocument, and runs it at
 * once when the last editor leaves). Loading applies the stored state to the fresh document.
 */
export const draftStore = (db: Db): Extension => ({
  async onLoadDocument({ documentName, document }: onLoadDocumentPayload) {
    const id = conversationIdOf(documentName);
    if (!id) return;
    const row = await db.selectFrom('drafts').select('state').where('conversation_id', '=', id).executeTakeFirst();
    if (row) Y.applyUpdate(document, new Uint8Array(row.state));
  },
  async onStoreDocument({ documentName, document, context }: onStoreDocumentPayload) {
    const id = conversationIdOf(documentName);
    if (!id) return;
    const state = Buffer.from(Y.encodeStateAsUpdate(document));
    const updatedBy = (context as { userId?: string } | undefined)?.userId ?? null;
    await db
      .insertInto('drafts')
      .values({ conversation_id: id, state, updated_by: updatedBy, updated_at: new Date() })
      .onConflict((oc) => oc.column('conversation_id').doUpdateSet({ state, updated_by: updatedBy, updated_at: new Date() }))
      .execute();
  },
});
