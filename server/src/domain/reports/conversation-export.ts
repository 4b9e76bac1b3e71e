import type { ReportQuery } from '@autocrm/shared';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { reportContext } from './report-context';
import { conversationFilter } from './report-filters';

export const CONVERSATION_EXPORT_HEADER = [
  'id',
  'number',
  'subject',
  'inbox',
  'channel',
  'status',
  'priority',
  'assignee',
  'team',
  'tags',
  'created_at',
  'first_response_at',
  'first_response_seconds',
  'resolved_at',
  'resolution_seconds',
  'reopens',
  'csat_rating',
  'csat_comment',
  'bot_handled',
  'handoffs',
  'messages',
];

/**
 * The raw export: one row per conversation created in the window (same filters and visibility as every
 * report; merged-away conversations left out), with its own figures. Times are ISO 8601 in UTC,
 * durations in whole seconds. Cells are made formula-safe by the CSV writer (report-csv.ts).
 */
export async function conversationRows(
  db: Db,
  props: { actor: Actor; query: ReportQuery },
): Promise<{ header: string[]; rows: unknown[][] }> {
  const { query, window } = await reportContext(db, props);
  const iso = (col: string) => sql.raw(`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
  const { rows } = await sql<Record<string, unknown>>`
    select c.id, c.number, c.subject, i.name as inbox, i.channel, s.name as status, c.priority,
      coalesce(u.display_name, u.name) as assignee, t.name as team,
      array_to_string(array(select tg.name from conversation_tags ct join tags tg on tg.id = ct.tag_id
        where ct.conversation_id = c.id order by tg.name), ';') as tags,
      ${iso('c.created_at')} as created_at, ${iso('c.first_response_at')} as first_response_at,
      round(extract(epoch from (c.first_response_at - c.created_at)))::int as first_response_seconds,
      ${iso('c.resolved_at')} as resolved_at,
      round(extract(epoch from (c.resolved_at - c.created_at)))::int as resolution_seconds,
      (select count(*)::int from status_history h join statuses fs on fs.id = h.from_status_id join statuses ts on ts.id = h.to_status_id
        where h.conversation_id = c.id and fs.category in ('resolved', 'closed') and ts.category not in ('resolved', 'closed')) as reopens,
      c.csat_rating, c.csat_comment,
      exists (select 1 from conversation_ownership o where o.conversation_id = c.id and o.reason = 'created' and o.to_owner = 'bot') as bot_handled,
      (select count(*)::int from conversation_ownership o where o.conversation_id = c.id and o.from_owner = 'bot' and o.to_owner = 'human') as handoffs,
      (select count(*)::int from messages m where m.conversation_id = c.id and m.deleted_at is null) as messages
    from conversations c
      join inboxes i on i.id = c.inbox_id
      join statuses s on s.id = c.status_id
      left join users u on u.id = c.assignee_id
      left join teams t on t.id = c.team_id
    where ${conversationFilter(query)} and c.created_at >= ${window.start} and c.created_at < ${window.end}
    order by c.created_at, c.number`.execute(db);
  return {
    header: CONVERSATION_EXPORT_HEADER,
    rows: rows.map((r) => CONVERSATION_EXPORT_HEADER.map((h) => r[h])),
  };
}
