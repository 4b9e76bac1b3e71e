import type { AuthorKind, CustomFieldType, Priority, Role, StatusCategory } from '@autocrm/shared';
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

// Table types as declared by db/migrations. Enum columns reuse the shared zod-derived types.

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T = unknown> = ColumnType<T, string, string>;

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: Generated<Date>;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

export interface LoginAttemptsTable {
  id: Generated<number>;
  key: string;
  at: Generated<Date>;
}

export interface ApiKeysTable {
  id: Generated<string>;
  name: string;
  prefix: string;
  key_hash: string;
  scopes: string[];
  created_by: string | null;
  created_at: Generated<Date>;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface TeamsTable {
  id: Generated<string>;
  name: string;
  created_at: Generated<Date>;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
  is_lead: Generated<boolean>;
}

export interface InboxesTable {
  id: Generated<string>;
  name: string;
  channel: string;
  website_token: string | null;
  settings: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
}

export interface InboxMembersTable {
  inbox_id: string;
  user_id: string;
}

export interface ContactsTable {
  id: Generated<string>;
  name: string | null;
  email: string | null;
  phone: string | null;
  external_id: string | null;
  attributes: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface StatusesTable {
  id: Generated<string>;
  name: string;
  category: StatusCategory;
  position: Generated<number>;
  is_default: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface TagsTable {
  id: Generated<string>;
  name: string;
  color: string | null;
  created_at: Generated<Date>;
}

export interface CustomFieldDefinitionsTable {
  id: Generated<string>;
  key: string;
  label: string;
  type: CustomFieldType;
  options: Json<string[]>;
  required: Generated<boolean>;
  created_at: Generated<Date>;
}

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
}

export interface VisitorsTable {
  id: Generated<string>;
  inbox_id: string;
  contact_id: string;
  token_hash: string;
  created_at: Generated<Date>;
  last_seen_at: Timestamp;
}

export interface ReadCursorsTable {
  conversation_id: string;
  participant_kind: 'agent' | 'contact';
  participant_id: string;
  last_read_seq: number;
  updated_at: Timestamp;
}

export interface OutboxTable {
  id: Generated<number>;
  type: string;
  payload: Json<unknown>;
  created_at: Generated<Date>;
  dispatched_at: NullableTimestamp;
}

export interface WebhooksTable {
  id: Generated<string>;
  url: string;
  secret: string;
  events: string[];
  description: string | null;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  event_id: number;
  event_type: string;
  payload: Json<unknown>;
  status: Generated<'pending' | 'succeeded' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: NullableTimestamp;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface WebhookAttemptsTable {
  id: Generated<number>;
  delivery_id: string;
  at: Generated<Date>;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
  at: Generated<Date>;
}

export interface SettingsTable {
  key: string;
  value: Json<unknown>;
  updated_at: Timestamp;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  api_keys: ApiKeysTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  inboxes: InboxesTable;
  inbox_members: InboxMembersTable;
  contacts: ContactsTable;
  statuses: StatusesTable;
  tags: TagsTable;
  custom_field_definitions: CustomFieldDefinitionsTable;
  conversations: ConversationsTable;
  conversation_tags: ConversationTagsTable;
  status_history: StatusHistoryTable;
  messages: MessagesTable;
  outbox: OutboxTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
  visitors: VisitorsTable;
  read_cursors: ReadCursorsTable;
}

export type UserRow = Selectable<UsersTable>;
export type ConversationRow = Selectable<ConversationsTable>;
export type MessageRow = Selectable<MessagesTable>;
export type ContactRow = Selectable<ContactsTable>;
export type NewConversation = Insertable<ConversationsTable>;
export type ConversationPatch = Updateable<ConversationsTable>;
