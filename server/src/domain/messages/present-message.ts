import type { Message } from '@autocrm/shared';
import type { MessageRow } from '../../../../db/types';
import { activeUploadLinks } from '../widget/upload-links';

/** A message as shown: links to our uploads (attachments, images in the text) signed afresh. */
export function presentMessage(r: MessageRow): Message {
  const links = activeUploadLinks();
  return {
    id: r.id,
    conversationId: r.conversation_id,
    seq: r.seq,
    authorKind: r.author_kind,
    authorId: r.author_id,
    private: r.private,
    bodyHtml: r.deleted_at ? '' : links ? links.signHtml(r.body_html) : r.body_html,
    bodyText: r.deleted_at ? '' : r.body_text,
    clientId: r.client_id,
    attachments: links ? r.attachments.map((a) => ({ ...a, url: links.signUrl(a.url) })) : r.attachments,
    createdAt: r.created_at.toISOString(),
    editedAt: r.edited_at ? r.edited_at.toISOString() : null,
    deletedAt: r.deleted_at ? r.deleted_at.toISOString() : null,
    meta: r.meta,
  };
}
