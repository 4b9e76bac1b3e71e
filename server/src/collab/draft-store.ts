import type { Extension, onLoadDocumentPayload, onStoreDocumentPayload } from '@hocuspocus/server';
import * as Y from 'yjs';
import { loadDraft, storeDraft } from '../domain/conversations/drafts';
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
    const state = await loadDraft(db, { conversationId: id });
    if (state) Y.applyUpdate(document, state);
  },
  async onStoreDocument({ documentName, document, context }: onStoreDocumentPayload) {
    const id = conversationIdOf(documentName);
    if (!id) return;
    const state = Buffer.from(Y.encodeStateAsUpdate(document));
    const updatedBy = (context as { userId?: string } | undefined)?.userId ?? null;
    await storeDraft(db, { conversationId: id, state, updatedBy });
  },
});
