import type {
  AuthorKind,
  CustomFieldType,
  KB_ARTICLE_KINDS,
  KB_STATUSES,
  MacroAction,
  MessageMeta,
  Priority,
  Role,
  RoomOwner,
  StatusCategory,
  TutorialStep,
  VisitorInfo,
} from '@autocrm/shared';
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
  display_name: string | null;
  locale: string | null;
  /** Base32 TOTP secret once enrolment is confirmed; `totp_pending_secret` while it is being set up. */
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_enabled_at: NullableTimestamp;
  /** The last accepted TOTP time step: a code is good once. */
  totp_last_step: ColumnType<string | null, number | string | null | undefined, number | string | null>;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: Generated<Date>;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  user_agent: string | null;
  ip: string | null;
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
  /** 0003_routing: calendar and overflow policy. */
  time_zone: Generated<string>;
  business_hours: ColumnType<Record<string, { start: string; end: string }[]>, string | undefined, string>;
  overflow_after_minutes: number | null;
  overflow_team_id: string | null;
  overflow_relax_skills: Generated<boolean>;
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
  /** 0005_widget: HMAC key for the widget's identity verification. */
  identity_secret: Generated<string>;
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
  /** 0018_f: erased (a tombstone: identity and attributes gone, the id kept for its conversations' counts). */
  erased_at: NullableTimestamp;
  visitor_context: ColumnType<VisitorInfo | null, string | null | undefined, string | null>;
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

export interface VisitorsTable {
  id: Generated<string>;
  inbox_id: string;
  contact_id: string;
  token_hash: string;
  created_at: Generated<Date>;
  last_seen_at: Timestamp;
}

/** Which contact a verified widget user (external id) is, per inbox: ids are scoped by the inbox's secret. */
export interface WidgetIdentitiesTable {
  inbox_id: string;
  external_id: string;
  contact_id: string;
  created_at: Generated<Date>;
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
  /** Set when automation's actions wrote the event: which rule, at what depth (loop protection). */
  cause: ColumnType<unknown | null, string | null | undefined, string | null>;
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

// 0003_routing
export interface TeamHolidaysTable {
  team_id: string;
  date: ColumnType<string, string, string>;
  name: Generated<string>;
}

export interface SkillsTable {
  id: Generated<string>;
  name: string;
  kind: Generated<'language' | 'product' | 'other'>;
  code: string | null;
  created_at: Generated<Date>;
}

export interface AgentSkillsTable {
  user_id: string;
  skill_id: string;
  level: Generated<number>;
}

export interface AgentShiftsTable {
  id: Generated<string>;
  user_id: string;
  weekday: number;
  start_time: string;
  end_time: string;
  time_zone: Generated<string>;
}

export interface AgentCapacityTable {
  user_id: string;
  channel: Generated<string>;
  max_concurrent: number;
}

export interface AgentRoutingStateTable {
  user_id: string;
  presence: Generated<'online' | 'away' | 'offline'>;
  presence_changed_at: Timestamp;
  last_assigned_at: NullableTimestamp;
}

export interface RoutingRulesTable {
  id: Generated<string>;
  name: string;
  position: Generated<number>;
  enabled: Generated<boolean>;
  match: Generated<'all' | 'any'>;
  conditions: Json<unknown[]>;
  actions: Json<unknown[]>;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface SlaPoliciesTable {
  id: Generated<string>;
  name: string;
  priority: Priority;
  inbox_id: string | null;
  tag: string | null;
  first_response_minutes: number | null;
  next_response_minutes: number | null;
  resolution_minutes: number | null;
  business_hours: Generated<boolean>;
  warning_minutes: Generated<number>;
  breach_raise_priority: Generated<boolean>;
  breach_reassign: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface ConversationRoutingTable {
  conversation_id: string;
  state: Generated<'new' | 'queued' | 'assigned' | 'done'>;
  team_id: string | null;
  language: string | null;
  required_skills: ColumnType<{ skillId: string; minLevel: number }[], string | undefined, string>;
  queued_at: NullableTimestamp;
  overflowed_at: NullableTimestamp;
  sla_policy_id: string | null;
  first_response_due_at: NullableTimestamp;
  next_response_due_at: NullableTimestamp;
  resolution_due_at: NullableTimestamp;
  sla_state: Generated<'none' | 'ok' | 'warning' | 'breached' | 'met'>;
  sla_warned: ColumnType<string[], string | undefined, string>;
  sla_breached: ColumnType<string[], string | undefined, string>;
  /** 0007: when the SLA clock started (classification, or reopening). */
  sla_started_at: NullableTimestamp;
  updated_at: Timestamp;
}

export interface RuleFiringsTable {
  id: Generated<number>;
  conversation_id: string;
  rule_id: string | null;
  rule_name: string;
  actions: Json<unknown[]>;
  fired_at: Timestamp;
}

// 0006_knowledge_base
type KbKind = (typeof KB_ARTICLE_KINDS)[number];
type KbStatusValue = (typeof KB_STATUSES)[number];

export interface KbCategoriesTable {
  id: Generated<string>;
  slug: string;
  position: Generated<number>;
  translations: Json<Record<string, { name: string; description?: string | null }>>;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface KbArticlesTable {
  id: Generated<string>;
  slug: string;
  kind: KbKind;
  category_id: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface KbTranslationsTable {
  id: Generated<string>;
  article_id: string;
  locale: string;
  title: string;
  body_markdown: string | null;
  body_html: string;
  body_text: string;
  steps: Json<TutorialStep[] | null>;
  keywords: string[];
  keywords_text: string;
  status: KbStatusValue;
  version: Generated<number>;
  search_config: string;
  search: ColumnType<string, never, never>;
  author_id: string | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
  published_at: NullableTimestamp;
}

export interface KbVersionsTable {
  id: Generated<number>;
  article_id: string;
  locale: string;
  version: number;
  title: string;
  body_markdown: string | null;
  body_html: string;
  steps: Json<TutorialStep[] | null>;
  status: KbStatusValue;
  author_id: string | null;
  created_at: Generated<Date>;
}

export interface KbLexiconTable {
  word: string;
}

/** BM25 document frequency of each lexeme among published texts, kept by triggers (0015). */
export interface KbTermStatsTable {
  search_config: string;
  lexeme: string;
  df: number;
}

/** Published texts and their summed lengths (distinct lexemes) per search configuration (0015). */
export interface KbCorpusStatsTable {
  search_config: string;
  docs: number;
  total_len: ColumnType<string, string | number, string | number>;
}

/** Admin-managed synonyms and abbreviations, per locale, applied at query time (0015). */
export interface KbSynonymsTable {
  id: Generated<string>;
  locale: string;
  term: string;
  synonyms: string[];
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface KbFeedbackTable {
  id: Generated<number>;
  article_id: string;
  locale: string;
  helpful: boolean;
  comment: string | null;
  created_at: Generated<Date>;
}

export interface KbGapsTable {
  id: Generated<string>;
  question: string;
  normalized: string;
  language: string | null;
  count: Generated<number>;
  article_id: string | null;
  dismissed: Generated<boolean>;
  created_at: Generated<Date>;
  last_asked_at: Timestamp;
}

export interface KbGapExamplesTable {
  id: Generated<number>;
  gap_id: string;
  conversation_id: string;
  question: string;
  created_at: Generated<Date>;
}

/** Only when pgvector is installed. */
export interface KbEmbeddingsTable {
  translation_id: string;
  model: string;
  content_hash: string;
  embedding: string;
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

/** 0009: macros (reply body plus field changes). */
export interface MacrosTable {
  id: Generated<string>;
  name: string;
  body_html: Generated<string>;
  actions: Json<MacroAction[]>;
  /** 0016: the internal-note part, posted as a note (never into the public reply). */
  note_html: Generated<string>;
  /** 0016: the word after `/` in the composer. */
  shortcut: string | null;
  visibility: 'shared' | 'personal';
  owner_id: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** 0018_b: files attached to the reply when the macro is applied. */
  attachments: ColumnType<AttachmentRow[], string | undefined, string>;
}

/** 0008: shared reply drafts (Yjs state per conversation). */
export interface DraftsTable {
  conversation_id: string;
  state: Uint8Array;
  updated_by: string | null;
  updated_at: Timestamp;
}

/** 0004_workspace: queue views saved by an agent (owner) or shared with everyone (no owner). */
export interface SavedViewsTable {
  id: Generated<string>;
  owner_id: string | null;
  name: string;
  filters: ColumnType<unknown, string, string>;
  created_at: Generated<Date>;
}

/** 0017: scheduled maintenance, one row per job; the lease makes each due run one process's. */
export interface ScheduledJobsTable {
  name: string;
  schedule: string;
  next_run_at: Timestamp;
  lease_until: NullableTimestamp;
  leased_by: string | null;
  last_started_at: NullableTimestamp;
  last_finished_at: NullableTimestamp;
  last_status: 'ok' | 'failed' | null;
  last_result: Json<Record<string, unknown>> | null;
  last_error: string | null;
  runs: Generated<number>;
}

/** 0017: the recent runs of each job (kept short by the jobs themselves). */
export interface JobRunsTable {
  id: Generated<number>;
  name: string;
  scheduled_for: Timestamp;
  runner: string;
  started_at: Timestamp;
  finished_at: NullableTimestamp;
  status: 'running' | 'ok' | 'failed';
  result: Json<Record<string, unknown>> | null;
  error: string | null;
}

// 0014_email
export interface EmailAddressRow {
  address: string;
  name: string | null;
}

export type EmailStatus = 'received' | 'ignored' | 'queued' | 'sending' | 'sent' | 'failed' | 'skipped';

export interface EmailMessagesTable {
  id: Generated<string>;
  inbox_id: string | null;
  conversation_id: string | null;
  message_id: string | null;
  direction: 'in' | 'out';
  rfc_message_id: string;
  in_reply_to: string | null;
  refs: Json<string[]>;
  from_address: string;
  from_name: string | null;
  to_addresses: Json<EmailAddressRow[]>;
  cc_addresses: Json<EmailAddressRow[]>;
  subject: string | null;
  full_html: string | null;
  full_text: string | null;
  raw: Uint8Array | null;
  status: EmailStatus;
  status_reason: string | null;
  attempts: Generated<number>;
  next_attempt_at: NullableTimestamp;
  sent_at: NullableTimestamp;
  created_at: Generated<Date>;
  /** 0018_c: a reply to a message, or a mail composed at queue time (its body in full_html/full_text). */
  kind: Generated<'reply' | 'transcript' | 'csat'>;
}

export interface EmailThreadsTable {
  conversation_id: string;
  cc: Json<EmailAddressRow[]>;
  updated_at: Generated<Date>;
}

/** 0016: how two conversations are linked (a follow-up after the reopen window, or related). */
export interface ConversationLinksTable {
  conversation_id: string;
  linked_id: string;
  kind: 'follow_up_of' | 'followed_up_by' | 'related' | 'merged_into' | 'merged_from';
  created_at: Generated<Date>;
}

/** 0016: every use of a macro, for reports. */
export interface MacroUsesTable {
  id: ColumnType<string, never, never>;
  macro_id: string | null;
  macro_name: string;
  user_id: string | null;
  conversation_id: string;
  used_at: Generated<Date>;
}

export interface AutomationRulesTable {
  id: Generated<string>;
  name: string;
  position: Generated<number>;
  enabled: Generated<boolean>;
  inbox_id: string | null;
  trigger: Json<Record<string, unknown>>;
  match: Generated<'all' | 'any'>;
  conditions: Json<unknown[]>;
  actions: Json<unknown[]>;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface AutomationFiringsTable {
  id: ColumnType<string, never, never>;
  rule_id: string | null;
  rule_name: string;
  conversation_id: string;
  event_key: string;
  event_type: string;
  depth: Generated<number>;
  actions: Json<unknown[]>;
  result: 'ok' | 'error' | 'skipped';
  error: string | null;
  fired_at: Generated<Date>;
}

/** 0018_c: an IMAP mailbox polled for an email inbox; the lease names the one process polling it. */
export interface EmailImapStateTable {
  inbox_id: string;
  mailbox: Generated<string>;
  uid_validity: ColumnType<string | number | null, string | number | null, string | number | null>;
  last_uid: ColumnType<string | number, string | number | undefined, string | number>;
  leased_by: string | null;
  lease_until: NullableTimestamp;
  last_error: string | null;
  last_synced_at: NullableTimestamp;
}

/** 0018_c: an agent's own signature under their email replies. */
export interface EmailAgentSignaturesTable {
  user_id: string;
  signature: string;
  updated_at: Generated<Date>;
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
  team_holidays: TeamHolidaysTable;
  skills: SkillsTable;
  agent_skills: AgentSkillsTable;
  agent_shifts: AgentShiftsTable;
  agent_capacity: AgentCapacityTable;
  agent_routing_state: AgentRoutingStateTable;
  routing_rules: RoutingRulesTable;
  sla_policies: SlaPoliciesTable;
  conversation_routing: ConversationRoutingTable;
  rule_firings: RuleFiringsTable;
  kb_categories: KbCategoriesTable;
  kb_articles: KbArticlesTable;
  kb_translations: KbTranslationsTable;
  kb_versions: KbVersionsTable;
  kb_lexicon: KbLexiconTable;
  kb_term_stats: KbTermStatsTable;
  kb_corpus_stats: KbCorpusStatsTable;
  kb_synonyms: KbSynonymsTable;
  kb_feedback: KbFeedbackTable;
  kb_gaps: KbGapsTable;
  kb_gap_examples: KbGapExamplesTable;
  kb_embeddings: KbEmbeddingsTable;
  conversation_ownership: ConversationOwnershipTable;
  bot_turns: BotTurnsTable;
  macros: MacrosTable;
  drafts: DraftsTable;
  saved_views: SavedViewsTable;
  scheduled_jobs: ScheduledJobsTable;
  job_runs: JobRunsTable;
  widget_identities: WidgetIdentitiesTable;
  email_messages: EmailMessagesTable;
  email_threads: EmailThreadsTable;
  conversation_links: ConversationLinksTable;
  macro_uses: MacroUsesTable;
  automation_rules: AutomationRulesTable;
  automation_firings: AutomationFiringsTable;
  email_imap_state: EmailImapStateTable;
  email_agent_signatures: EmailAgentSignaturesTable;
  invitations: InvitationsTable;
  password_resets: PasswordResetsTable;
  recovery_codes: RecoveryCodesTable;
  login_challenges: LoginChallengesTable;
  account_mails: AccountMailsTable;
  channel_messages: ChannelMessagesTable;
  channel_opt_outs: ChannelOptOutsTable;
}

export interface InvitationsTable {
  id: Generated<string>;
  email: string;
  name: string | null;
  role: Role;
  inbox_ids: ColumnType<string[], string[] | undefined, string[]>;
  token_hash: string | null;
  invited_by: string | null;
  expires_at: NullableTimestamp;
  sent_at: NullableTimestamp;
  accepted_at: NullableTimestamp;
  accepted_user_id: string | null;
  revoked_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface PasswordResetsTable {
  id: Generated<string>;
  user_id: string;
  token_hash: string | null;
  expires_at: NullableTimestamp;
  used_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface RecoveryCodesTable {
  id: Generated<string>;
  user_id: string;
  code_hash: string;
  used_at: NullableTimestamp;
  created_at: Generated<Date>;
}

/** The second step of a sign-in: a password was right, a TOTP code (or enrolment) is still owed. */
export interface LoginChallengesTable {
  id: string;
  user_id: string;
  purpose: 'verify' | 'enrol';
  pending_secret: string | null;
  attempts: Generated<number>;
  user_agent: string | null;
  ip: string | null;
  expires_at: Timestamp;
  created_at: Generated<Date>;
}

/** Account mails still to send; the sender mints the link when it sends. */
export interface AccountMailsTable {
  id: Generated<string>;
  kind: 'invitation' | 'password_reset';
  ref_id: string;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  created_at: Generated<Date>;
}

/** 0019_l: one message that crossed a messaging provider (SMS ...), in or out; outbound rows are the send queue. */
export type ChannelMessageStatus =
  | 'received'
  | 'queued'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'read'
  | 'undelivered'
  | 'failed'
  | 'skipped';

export interface ChannelMediaRow {
  url: string;
  contentType: string;
}

export interface ChannelMessagesTable {
  id: Generated<string>;
  inbox_id: string;
  conversation_id: string | null;
  message_id: string | null;
  provider: string;
  direction: 'in' | 'out';
  external_id: string | null;
  from_address: string;
  to_address: string;
  body: Generated<string>;
  media: ColumnType<ChannelMediaRow[], string | undefined, string>;
  /** What a provider needs beyond text and media (a WhatsApp template with its parameters). */
  payload: ColumnType<{ [key: string]: unknown } | null, string | null | undefined, string | null>;
  status: ChannelMessageStatus;
  status_reason: string | null;
  segments: number | null;
  attempts: Generated<number>;
  next_attempt_at: NullableTimestamp;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** 0019_l: an address that texted STOP to an inbox; nothing is sent to it until it texts START. */
export interface ChannelOptOutsTable {
  inbox_id: string;
  address: string;
  created_at: Generated<Date>;
}

export type UserRow = Selectable<UsersTable>;
export type ConversationRow = Selectable<ConversationsTable>;
export type MessageRow = Selectable<MessagesTable>;
export type ContactRow = Selectable<ContactsTable>;
export type NewConversation = Insertable<ConversationsTable>;
export type ConversationPatch = Updateable<ConversationsTable>;
