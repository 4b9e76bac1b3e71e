import type { AuthorKind } from '@autocrm/shared';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import { unreadCounts } from '../rooms/read-cursors';

export interface ListSummary {
  lastMessagePreview: string | null;
  lastMessageAuthorKind: AuthorKind | null;
  lastMessageAt: string | null;
  unreadCount: number | null;
}

export type ListSummariesProps = { conversationIds: string[]; userId: string | null };

const PREVIEW_CHARS = 140;

/** Whitespace folded, cut at a word near the limit with an ellipsis. */
export function previewText(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= PREVIEW_CHARS) return flat;
  const cut = flat.slice(0, PREVIEW_CHARS - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > PREVIEW_CHARS / 2 ? cut.slice(0, space) : cut}…`;
}

/**
 * What a queue row shows without opening the room: the last message the customer could see (internal notes and
 * system lines left out) and, for a signed-in agent, how many messages they have not read yet.
 */
export async function listSummaries(db: Db, { conversationIds, userId }: ListSummariesProps): Promise<Map<string, ListSummary>> {
  const out = new Map<string, ListSummary>();
  if (conversationIds.length === 0) return out;
  const { rows } = await sql<{
    conversation_id: string;
    body_text: string;
    author_kind: AuthorKind;
    created_at: Date;
    files: number;
  }>`
    select distinct on (m.conversation_id) m.conversation_id, m.body_text, m.author_kind, m.created_at,
      coalesce(jsonb_array_length(m.attachments), 0)::int as files
    from messages m
    where m.conversation_id in (${sql.join(conversationIds)})
      and not m.private and m.deleted_at is null and m.author_kind in ('contact', 'agent', 'bot')
    order by m.conversation_id, m.seq desc
  `.execute(db);
  const unread = userId ? await unreadCounts(db, { userId, conversationIds }) : null;
  const last = new Map(rows.map((r) => [r.conversation_id, r]));
  for (const id of conversationIds) {
    const m = last.get(id);
    const text = m ? previewText(m.body_text) : '';
    out.set(id, {
      // A message with only files reads as its file count, so the row never looks empty.
      lastMessagePreview: m ? text || (m.files ? `📎 ${m.files}` : null) : null,
      lastMessageAuthorKind: m?.author_kind ?? null,
      lastMessageAt: m ? new Date(m.created_at).toISOString() : null,
      unreadCount: unread ? (unread.get(id) ?? 0) : null,
    });
  }
  return out;
}
