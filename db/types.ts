import type { Insertable, Selectable, Updateable } from 'kysely';
import type {
  AccountMailsTable,
  ApiKeysTable,
  InvitationsTable,
  LoginAttemptsTable,
  LoginChallengesTable,
  PasswordResetsTable,
  RecoveryCodesTable,
  SessionsTable,
  UsersTable,
} from './types/accounts';
import type { AutomationFiringsTable, AutomationRulesTable, MacrosTable, MacroUsesTable } from './types/automation';
import type {
  ChannelMessagesTable,
  ChannelOptOutsTable,
  EmailAgentSignaturesTable,
  EmailImapStateTable,
  EmailMessagesTable,
  EmailThreadsTable,
} from './types/channels';
import type {
  CompaniesTable,
  ContactIdentitiesTable,
  ContactNotesTable,
  ContactsTable,
  VisitorsTable,
  WidgetIdentitiesTable,
} from './types/contacts';
import type {
  BotTurnsTable,
  ConversationLinksTable,
  ConversationOwnershipTable,
  ConversationsTable,
  ConversationTagsTable,
  DraftsTable,
  MessagesTable,
  ReadCursorsTable,
  StatusHistoryTable,
} from './types/conversations';
import type {
  KbArticlesTable,
  KbArticleViewsDailyTable,
  KbArticleViewsTable,
  KbCategoriesTable,
  KbCorpusStatsTable,
  KbEmbeddingsTable,
  KbFeedbackTable,
  KbGapExamplesTable,
  KbGapsTable,
  KbLexiconTable,
  KbSynonymsTable,
  KbTermStatsTable,
  KbTranslationsTable,
  KbVersionsTable,
  KbViewKeysTable,
  KbViewSaltsTable,
} from './types/kb';
import type {
  AgentNotificationPrefsTable,
  AnnouncementReceiptsTable,
  AnnouncementsTable,
  BackOnlineNoticesTable,
  ContactNotificationPrefsTable,
  NotificationsTable,
  PushSubscriptionsTable,
} from './types/notifications';
import type {
  AuditLogTable,
  JobRunsTable,
  OutboxTable,
  ScheduledJobsTable,
  WebhookAttemptsTable,
  WebhookDeliveriesTable,
  WebhooksTable,
} from './types/ops';
import type { PortalLinksTable, PortalPasswordsTable, PortalSessionsTable } from './types/portal';
import type { ReportFactsTable, ReportRollupsTable } from './types/reports';
import type {
  AgentCapacityTable,
  AgentPresenceLogTable,
  AgentPresenceRollupsTable,
  AgentRoutingStateTable,
  AgentShiftsTable,
  AgentSkillsTable,
  ConversationRoutingTable,
  RoutingRulesTable,
  RuleFiringsTable,
  SkillsTable,
  SlaPoliciesTable,
  TeamHolidaysTable,
} from './types/routing';
import type {
  CustomFieldDefinitionsTable,
  InboxesTable,
  InboxMembersTable,
  SavedViewsTable,
  SettingsTable,
  StatusesTable,
  TagsTable,
  TeamMembersTable,
  TeamsTable,
} from './types/workspace';

export * from './types/accounts';
export * from './types/automation';
export * from './types/channels';
export * from './types/columns';
export * from './types/contacts';
export * from './types/conversations';
export * from './types/kb';
export * from './types/notifications';
export * from './types/ops';
export * from './types/portal';
export * from './types/reports';
export * from './types/routing';
export * from './types/workspace';

// Table types as declared by db/migrations, one file per area under db/types/ (tests/db-types-drift.test.ts
// keeps them equal to what the migrations create). Enum columns reuse the shared zod-derived types.

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
  companies: CompaniesTable;
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
  report_facts: ReportFactsTable;
  report_rollups: ReportRollupsTable;
  notifications: NotificationsTable;
  agent_notification_prefs: AgentNotificationPrefsTable;
  contact_notification_prefs: ContactNotificationPrefsTable;
  push_subscriptions: PushSubscriptionsTable;
  announcements: AnnouncementsTable;
  announcement_receipts: AnnouncementReceiptsTable;
  back_online_notices: BackOnlineNoticesTable;
  portal_links: PortalLinksTable;
  portal_sessions: PortalSessionsTable;
  portal_passwords: PortalPasswordsTable;
  contact_identities: ContactIdentitiesTable;
  contact_notes: ContactNotesTable;
  agent_presence_log: AgentPresenceLogTable;
  agent_presence_rollups: AgentPresenceRollupsTable;
  kb_article_views: KbArticleViewsTable;
  kb_article_views_daily: KbArticleViewsDailyTable;
  kb_view_salts: KbViewSaltsTable;
  kb_view_keys: KbViewKeysTable;
}

export type UserRow = Selectable<UsersTable>;
export type ConversationRow = Selectable<ConversationsTable>;
export type MessageRow = Selectable<MessagesTable>;
export type ContactRow = Selectable<ContactsTable>;
export type NewConversation = Insertable<ConversationsTable>;
export type ConversationPatch = Updateable<ConversationsTable>;
