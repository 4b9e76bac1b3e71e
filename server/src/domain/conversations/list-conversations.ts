import { AppError, type ConversationListItem, type ConversationListQuery } from '@autocrm/shared';
import { type Expression, type SqlBool, sql } from 'kysely';
import type { Db } from '../../storage/db';
import { visibleInboxIds } from '../access/gate';
import type { Actor } from '../actor';
import { escapeLike } from '../contacts/contacts';
import { cursorDate, cursorUuid, decodeCursor, encodeCursor } from '../pagination';
import { customFieldFilter } from './custom-fields';
import { listSummaries } from './list-summaries';
import { presentConversations } from './present-conversation';

// Each sort is a key expression plus id, matched by an index on (key, id) in the migrations.
const SORT_KEYS = {
  created_at: { expr: sql`c.created_at`, kind: 'date' },
  updated_at: { expr: sql`c.updated_at`, kind: 'date' },
  last_activity_at: { expr: sql`c.last_activity_at`, kind: 'date' },
  priority: { expr: sql`c.priority_rank`, kind: 'number' },
  // Conversations nobody waits on sort after every waiting one.
  waiting_since: { expr: sql`coalesce(c.waiting_since, 'infinity'::timestamptz)`, kind: 'date' },
} as const;

export interface ListConversationsResult {
  data: ConversationListItem[];
  nextCursor: string | null;
}

export type ListConversationsProps = { actor: Actor; query: ConversationListQuery };

export async function listConversations(db: Db, { actor, query }: ListConversationsProps): Promise<ListConversationsResult> {
  const sort = SORT_KEYS[query.sort];
  const dir = query.order;
  const conditions: Expression<SqlBool>[] = [];

  const visible = await visibleInboxIds(db, actor);
  if (visible) {
    if (visible.length === 0) return { data: [], nextCursor: null };
    conditions.push(sql<SqlBool>`c.inbox_id in (${sql.join(visible)})`);
  }
  if (query.status) conditions.push(sql<SqlBool>`c.status_id = ${query.status}`);
  if (query.statusCategory) conditions.push(sql<SqlBool>`c.status_category = ${query.statusCategory}`);
  if (query.priority) conditions.push(sql<SqlBool>`c.priority = ${query.priority}`);
  if (query.assignee === 'none') conditions.push(sql<SqlBool>`c.assignee_id is null`);
  else if (query.assignee === 'me' || query.assignee === 'me_or_unassigned') {
    if (actor.kind !== 'user') {
      throw new AppError('validation_failed', 'assignee: `me` needs a signed-in user', [
        { path: 'assignee', message: '`me` needs a signed-in user' },
      ]);
    }
    conditions.push(
      query.assignee === 'me'
        ? sql<SqlBool>`c.assignee_id = ${actor.id}`
        : // Unassigned ones the bot still answers need nobody yet; handed-off ones do.
          sql<SqlBool>`(c.assignee_id = ${actor.id} or (c.assignee_id is null and c.owner = 'human'))`,
    );
  } else if (query.assignee) conditions.push(sql<SqlBool>`c.assignee_id = ${query.assignee}`);
  if (query.snoozed === 'false') conditions.push(sql<SqlBool>`c.snoozed_until is null and not c.snooze_until_reply`);
  else if (query.snoozed === 'true') conditions.push(sql<SqlBool>`(c.snoozed_until is not null or c.snooze_until_reply)`);
  if (query.team === 'none') conditions.push(sql<SqlBool>`c.team_id is null`);
  else if (query.team) conditions.push(sql<SqlBool>`c.team_id = ${query.team}`);
  if (query.inbox) conditions.push(sql<SqlBool>`c.inbox_id = ${query.inbox}`);
  if (query.contact) conditions.push(sql<SqlBool>`c.contact_id = ${query.contact}`);
  if (query.company) {
    conditions.push(
      sql<SqlBool>`exists (select 1 from contacts cc where cc.id = c.contact_id and cc.company_id = ${query.company})`,
    );
  }
  if (query.archived === 'true') conditions.push(sql<SqlBool>`c.archived_at is not null`);
  else if (query.archived !== 'all') conditions.push(sql<SqlBool>`c.archived_at is null`);
  if (query.tag) {
    conditions.push(
      sql<SqlBool>`exists (select 1 from conversation_tags ct join tags t on t.id = ct.tag_id where ct.conversation_id = c.id and t.name = ${query.tag})`,
    );
  }
  if (query.customField) {
    const fragment = await customFieldFilter(db, query.customField);
    conditions.push(sql<SqlBool>`c.custom_fields @> ${JSON.stringify(fragment)}::jsonb`);
  }
  if (query.q) {
    const like = `%${escapeLike(query.q)}%`;
    conditions.push(sql<SqlBool>`(
      c.subject ilike ${like}
      or exists (select 1 from contacts ct where ct.id = c.contact_id and (ct.name ilike ${like} or ct.email ilike ${like}))
      or exists (select 1 from messages m where m.conversation_id = c.id and m.deleted_at is null and m.body_text ilike ${like})
    )`);
  }
  if (query.cursor) {
    const [rawKey, rawId] = decodeCursor(query.cursor, 2);
    // 'infinity' is the sort key of conversations nobody waits on (see waiting_since above).
    const key = sort.kind === 'number' ? Number(rawKey) : rawKey === 'infinity' ? 'infinity' : cursorDate(rawKey);
    if (typeof key === 'number' && !Number.isInteger(key)) {
      throw new AppError('invalid_cursor', 'cursor: not a cursor returned by this list', [
        { path: 'cursor', message: 'invalid' },
      ]);
    }
    const id = cursorUuid(rawId);
    conditions.push(
      dir === 'desc'
        ? sql<SqlBool>`(${sort.expr}, c.id) < (${key}, ${id}::uuid)`
        : sql<SqlBool>`(${sort.expr}, c.id) > (${key}, ${id}::uuid)`,
    );
  }

  const where = conditions.length ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
  const order = dir === 'desc' ? sql`desc` : sql`asc`;
  const { rows } = await sql<{ id: string; sort_key: Date | number }>`
    select c.id, ${sort.expr} as sort_key from conversations c
    ${where}
    order by ${sort.expr} ${order}, c.id ${order}
    limit ${query.limit + 1}
  `.execute(db);

  const pageRows = rows.slice(0, query.limit);
  const last = pageRows.at(-1);
  const nextCursor = rows.length > query.limit && last ? encodeCursor([cursorKey(last.sort_key), last.id]) : null;
  const ids = pageRows.map((r) => r.id);
  const [conversations, summaries] = await Promise.all([
    presentConversations(db, ids),
    listSummaries(db, { conversationIds: ids, userId: actor.kind === 'user' ? actor.id : null }),
  ]);
  const empty = { lastMessagePreview: null, lastMessageAuthorKind: null, lastMessageAt: null, unreadCount: null };
  return { data: conversations.map((c) => ({ ...c, ...(summaries.get(c.id) ?? empty) })), nextCursor };
}

function cursorKey(value: unknown): string | number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  return 'infinity';
}
