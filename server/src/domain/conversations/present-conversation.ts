import type { Channel, Conversation } from '@autocrm/shared';
import { sql } from 'kysely';
import type { ConversationRow } from '../../../../db/types';
import type { Db } from '../../storage/db';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Tags as a sorted array, computed next to a conversation row aliased `c` (one round trip, no join fan-out). */
export const conversationTagNames = sql<
  string[]
>`array(select t.name from conversation_tags ct join tags t on t.id = ct.tag_id where ct.conversation_id = c.id order by t.name)`.as(
  'tag_names',
);

/** The customer's first message text, computed next to a conversation row aliased `c` (null before one). */
export const firstCustomerText = (alias: string) =>
  sql<
    string | null
  >`(select m.body_text from messages m where m.conversation_id = c.id and m.author_kind = 'contact' order by m.seq limit 1)`.as(
    alias,
  );

/** A conversation row with its status name, inbox channel and tag names, as the API and events show it. */
export function conversationFromRow(
  r: ConversationRow & { status_name: string; channel: string; tag_names: string[] },
): Conversation {
  return {
    id: r.id,
    number: r.number,
    subject: r.subject,
    inboxId: r.inbox_id,
    // A logged phone call or walk-in keeps how the customer reached us; others take the inbox's channel.
    channel: (r.logged_via ?? r.channel) as Channel,
    contactId: r.contact_id,
    status: { id: r.status_id, name: r.status_name, category: r.status_category },
    priority: r.priority,
    assigneeId: r.assignee_id,
    teamId: r.team_id,
    tags: r.tag_names,
    customFields: r.custom_fields,
    lastSeq: r.last_seq,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    lastActivityAt: r.last_activity_at.toISOString(),
    firstResponseAt: iso(r.first_response_at),
    resolvedAt: iso(r.resolved_at),
    waitingSince: iso(r.waiting_since),
    owner: r.owner,
    csat:
      r.csat_rating && r.csat_at ? { rating: r.csat_rating, comment: r.csat_comment, ratedAt: r.csat_at.toISOString() } : null,
    snooze: r.snoozed_until || r.snooze_until_reply ? { until: iso(r.snoozed_until), untilReply: r.snooze_until_reply } : null,
    mergedIntoId: r.merged_into_id,
    ...(r.archived_at ? { archivedAt: r.archived_at.toISOString() } : {}),
  };
}

/** Loads conversations with their status, inbox channel and tags, shaped as the API and events show them. */
export async function presentConversations(db: Db, ids: string[]): Promise<Conversation[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('conversations as c')
    .innerJoin('statuses as s', 's.id', 'c.status_id')
    .innerJoin('inboxes as i', 'i.id', 'c.inbox_id')
    .selectAll('c')
    .select(['s.name as status_name', 'i.channel as channel', conversationTagNames])
    .where('c.id', 'in', ids)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, conversationFromRow(r)]));
  // Keep the caller's order (list queries sort before presenting).
  return ids.flatMap((id) => {
    const c = byId.get(id);
    return c ? [c] : [];
  });
}

export async function presentConversation(db: Db, id: string): Promise<Conversation | undefined> {
  const [c] = await presentConversations(db, [id]);
  return c;
}
