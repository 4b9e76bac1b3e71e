import type { ColumnType, Generated } from 'kysely';
import type { Json, NullableTimestamp } from './columns';

// Email and the messaging channels (SMS, WhatsApp, Messenger).

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
  kind: Generated<'reply' | 'transcript' | 'csat' | 'status' | 'announcement' | 'back_online'>;
  /** 0021_b: the status a status mail tells of (skipped if the conversation moved on). */
  notice_status: 'resolved' | 'pending' | null;
  /** 0021_b: who a notice without a conversation (an announcement) is for. */
  contact_id: string | null;
}

export interface EmailThreadsTable {
  conversation_id: string;
  cc: Json<EmailAddressRow[]>;
  updated_at: Generated<Date>;
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
  /** 0022_e: when the provider says the customer sent an inbound message (null: it does not say). */
  sent_at: NullableTimestamp;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** 0019_l: an address that texted STOP to an inbox; nothing is sent to it until it texts START. */
export interface ChannelOptOutsTable {
  inbox_id: string;
  address: string;
  created_at: Generated<Date>;
}
