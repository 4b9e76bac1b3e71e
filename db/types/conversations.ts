import type { AuthorKind, MessageMeta, Priority, RoomOwner, StatusCategory } from '@autocrm/shared';
import type { ColumnType, Generated } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './columns';

// Conversations, messages and what hangs off a room (tags, status history, cursors, drafts, links, the bot).

export interface ConversationsTable {
  id: Generated<string>;
  number: Generated<number>;
  subject: string | null;
  inbox_id: string;
  contact_id: string;
  status_id: string;
  status_category: StatusCategory;
  priority: Priority;
  priority_rank: ColumnType<number, never, never>;
  assignee_id: string | null;
  team_id: string | null;
  custom_fields: Json<Record<string, unknown>>;
  last_seq: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Timestamp;
  last_activity_at: Timestamp;
  first_response_at: NullableTimestamp;
  resolved_at: NullableTimestamp;
  waiting_since: NullableTimestamp;
  /** 0005_widget: the visitor's rating after resolution. */
  csat_rating: number | null;
  csat_comment: string | null;
  csat_at: NullableTimestamp;
  /** 0006_knowledge_base: who answers the room now. */
  owner: Generated<RoomOwner>;
  bot_unhelpful_turns: Generated<number>;
  /** The customer's language as last detected (or given by the widget). */
  locale: string | null;
  /** 0016_b: snoozed until this time (null: not snoozed by time). */
  snoozed_until: NullableTimestamp;
  /** 0016_b: snoozed until the customer replies. */
  snooze_until_reply: Generated<boolean>;
  snoozed_by: string | null;
  /** 0016_b: auto-resolve reminder sent, and the idle time it counted from. */
  reminder_sent_at: NullableTimestamp;
  idle_since: NullableTimestamp;
  /** 0018_b: merged into this conversation (this one is closed and points there). */
  merged_into_id: string | null;
  /** 0018_f: content removed by erasure or retention (kept for counts and reports). */
  redacted_at: NullableTimestamp;
  /** 0020_f: a logged phone call or walk-in: the conversation's channel (null: the inbox's). */
  logged_via: 'phone' | 'walk_in' | null;
  /** 0020_e: archived by retention (closed long enough): out of the hot lists, still viewable. */
  archived_at: NullableTimestamp;
}

export interface ConversationTagsTable {
  conversation_id: string;
  tag_id: string;
}

export interface StatusHistoryTable {
  id: Generated<string>;
  conversation_id: string;
  from_status_id: string | null;
  to_status_id: string;
  actor: string;
  at: Generated<Date>;
}

export interface AttachmentRow {
  name: string;
  contentType: string;
  size: number;
  url: string;
}

export interface MessagesTable {
  id: Generated<string>;
  conversation_id: string;
  seq: number;
  author_kind: AuthorKind;
  author_id: string | null;
  private: Generated<boolean>;
  body_html: string;
  body_text: string;
  client_id: string | null;
  attachments: Json<AttachmentRow[]>;
  created_at: Generated<Date>;
  edited_at: NullableTimestamp;
  deleted_at: NullableTimestamp;
  revision_seq: ColumnType<number | null, number | null | undefined, number | null>;
  /** 0006: bot citations and offered actions. */
  meta: ColumnType<MessageMeta | null, string | null | undefined, string | null>;
}

export interface ReadCursorsTable {
  conversation_id: string;
  participant_kind: 'agent' | 'contact';
  participant_id: string;
  last_read_seq: number;
  updated_at: Timestamp;
}

export interface ConversationOwnershipTable {
  id: Generated<number>;
  conversation_id: string;
  from_owner: RoomOwner | null;
  to_owner: RoomOwner;
  reason: string;
  actor_id: string | null;
  at: Generated<Date>;
}

export interface BotTurnsTable {
  id: Generated<number>;
  conversation_id: string;
  message_id: string;
  status: Generated<'pending' | 'running' | 'done' | 'failed'>;
  attempts: Generated<number>;
  locked_until: NullableTimestamp;
  outcome: string | null;
  created_at: Generated<Date>;
  finished_at: NullableTimestamp;
}

/** 0008: shared reply drafts (Yjs state per conversation). */
export interface DraftsTable {
  conversation_id: string;
  state: Uint8Array;
  updated_by: string | null;
  updated_at: Timestamp;
}

/** 0016: how two conversations are linked (a follow-up after the reopen window, or related). */
export interface ConversationLinksTable {
  conversation_id: string;
  linked_id: string;
  kind: 'follow_up_of' | 'followed_up_by' | 'related' | 'merged_into' | 'merged_from';
  created_at: Generated<Date>;
}
