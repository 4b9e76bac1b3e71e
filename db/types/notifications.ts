import type { ColumnType, Generated } from 'kysely';
import type { NullableTimestamp } from './columns';

// Agent and customer notifications, push subscriptions and announcements.

/** 0020_b: one entry of an agent's notification centre. */
export interface NotificationsTable {
  id: Generated<string>;
  user_id: string;
  kind: string;
  conversation_id: string | null;
  message_id: string | null;
  title: string;
  body: string | null;
  read_at: NullableTimestamp;
  emailed_at: NullableTimestamp;
  created_at: Generated<Date>;
}

/** 0020_b: which kinds reach an agent by which path (in-app, desktop, push, email), and the sound. */
export interface AgentNotificationPrefsTable {
  user_id: string;
  kinds: ColumnType<{ [key: string]: unknown }, string | undefined, string>;
  sound: Generated<boolean>;
  updated_at: Generated<Date>;
}

/** 0020_b: what a customer wants to hear from us outside the chat. */
export interface ContactNotificationPrefsTable {
  contact_id: string;
  email_replies: Generated<boolean>;
  email_status: Generated<boolean>;
  push: Generated<boolean>;
  unsubscribed_at: NullableTimestamp;
  updated_at: Generated<Date>;
}

/** 0020_b: a browser's Web Push subscription, an agent's or a customer's (exactly one of the two). */
export interface PushSubscriptionsTable {
  id: Generated<string>;
  user_id: string | null;
  contact_id: string | null;
  endpoint: string;
  p256dh: string;
  auth: string;
  created_at: Generated<Date>;
  last_success_at: NullableTimestamp;
}

/** 0020_b: a proactive message to a segment of contacts, or the "we're back online" note. */
export interface AnnouncementsTable {
  id: Generated<string>;
  kind: Generated<'announcement' | 'back_online'>;
  title: string;
  body: string;
  segment: ColumnType<{ [key: string]: unknown }, string | undefined, string>;
  inbox_id: string | null;
  send_email: Generated<boolean>;
  active: Generated<boolean>;
  created_by: string | null;
  created_at: Generated<Date>;
  expires_at: NullableTimestamp;
}

/** 0020_b: who was shown, dismissed or mailed an announcement. */
export interface AnnouncementReceiptsTable {
  announcement_id: string;
  contact_id: string;
  shown_at: NullableTimestamp;
  dismissed_at: NullableTimestamp;
  emailed_at: NullableTimestamp;
}

/** 0021_b: the "we're back online" notice given in a conversation, after the customer message (seq) it answered. */
export interface BackOnlineNoticesTable {
  conversation_id: string;
  after_seq: number;
  notified_at: Generated<Date>;
}
