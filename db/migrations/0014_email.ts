import { type Kysely, sql } from 'kysely';

// The email channel: every mail in or out of an email inbox, with its headers for threading, the
// original as received ("show full email", nothing a customer sent is lost), and the delivery state of
// outgoing replies (queued → sending → sent, or retried with backoff until failed). Never edit this
// file after it lands: add a new migration.

export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(`CREATE TABLE email_messages (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      inbox_id uuid REFERENCES inboxes(id) ON DELETE CASCADE,
      conversation_id uuid REFERENCES conversations(id) ON DELETE CASCADE,
      message_id uuid REFERENCES messages(id) ON DELETE CASCADE,
      direction text NOT NULL CHECK (direction IN ('in', 'out')),
      rfc_message_id text NOT NULL,
      in_reply_to text,
      refs jsonb NOT NULL DEFAULT '[]',
      from_address text NOT NULL,
      from_name text,
      to_addresses jsonb NOT NULL DEFAULT '[]',
      cc_addresses jsonb NOT NULL DEFAULT '[]',
      subject text,
      full_html text,
      full_text text,
      raw bytea,
      status text NOT NULL CHECK (status IN ('received', 'ignored', 'queued', 'sending', 'sent', 'failed', 'skipped')),
      status_reason text,
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz(3),
      sent_at timestamptz(3),
      created_at timestamptz(3) NOT NULL DEFAULT now()
    )`)
    .execute(db);
  // One mail delivered twice (a retrying sender, IMAP and SMTP both) is stored once.
  await sql
    .raw(`CREATE UNIQUE INDEX email_messages_in_rfc_idx ON email_messages (rfc_message_id) WHERE direction = 'in'`)
    .execute(db);
  // One message is mailed at most once.
  await sql
    .raw(`CREATE UNIQUE INDEX email_messages_out_msg_idx ON email_messages (message_id) WHERE direction = 'out'`)
    .execute(db);
  await sql.raw('CREATE INDEX email_messages_conversation_idx ON email_messages (conversation_id, created_at)').execute(db);
  await sql
    .raw(`CREATE INDEX email_messages_due_idx ON email_messages (next_attempt_at) WHERE status IN ('queued', 'sending')`)
    .execute(db);
  await sql
    .raw(`CREATE TABLE email_threads (
      conversation_id uuid PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
      cc jsonb NOT NULL DEFAULT '[]',
      updated_at timestamptz(3) NOT NULL DEFAULT now()
    )`)
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('DROP TABLE email_threads').execute(db);
  await sql.raw('DROP TABLE email_messages').execute(db);
}
