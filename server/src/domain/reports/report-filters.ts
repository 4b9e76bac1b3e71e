import type { ReportQuery } from '@autocrm/shared';
import { type RawBuilder, sql } from 'kysely';

/** The dimensions a report narrows by; the window and time zone travel separately. */
export type ReportFilters = Pick<ReportQuery, 'inbox' | 'channel' | 'team' | 'agent' | 'tag' | 'priority'>;

/**
 * The condition on conversations (aliased `c`) every report shares, so each figure counts the same set.
 * Conversations merged into another are left out everywhere: their messages and outcome live on in
 * the conversation they were merged into, and counting both would count one request twice.
 */
export function conversationFilter(f: ReportFilters): RawBuilder<boolean> {
  const parts: RawBuilder<unknown>[] = [sql`c.merged_into_id is null`];
  if (f.inbox) parts.push(sql`c.inbox_id = ${f.inbox}`);
  if (f.team) parts.push(sql`c.team_id = ${f.team}`);
  if (f.agent) parts.push(sql`c.assignee_id = ${f.agent}`);
  if (f.priority) parts.push(sql`c.priority = ${f.priority}`);
  if (f.channel) parts.push(sql`exists (select 1 from inboxes i where i.id = c.inbox_id and i.channel = ${f.channel})`);
  if (f.tag)
    parts.push(
      sql`exists (select 1 from conversation_tags ct join tags t on t.id = ct.tag_id where ct.conversation_id = c.id and lower(t.name) = lower(${f.tag}))`,
    );
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}
