import { type Kysely, sql } from 'kysely';

// Notices to customers by email, next to the chat: a status change (resolved, waiting on you) mailed to a
// customer who was not there to see it, an announcement mailed to its segment, and "we're back online"
// to those who wrote while the team was closed. They share the outgoing mail queue (and so its retries,
// threading and one-click unsubscribe). Never edit this file after it lands.

export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw('ALTER TABLE email_messages DROP CONSTRAINT IF EXISTS email_messages_kind_check').execute(db);
  await sql
    .raw(
      `ALTER TABLE email_messages ADD CONSTRAINT email_messages_kind_check CHECK (kind IN ('reply', 'transcript', 'csat', 'status', 'announcement', 'back_online'))`,
    )
    .execute(db);
  // A status mail names the status it tells of: the sender skips it if the conversation moved on meanwhile.
  await sql
    .raw(`ALTER TABLE email_messages ADD COLUMN notice_status text CHECK (notice_status IN ('resolved', 'pending'))`)
    .execute(db);
  // The customer a notice is for when it belongs to no conversation (an announcement): their preferences apply.
  await db.schema
    .alterTable('email_messages')
    .addColumn('contact_id', 'uuid', (c) => c.references('contacts.id').onDelete('cascade'))
    .execute();

  // "We're back online": one notice per customer message that came while the team was closed.
  await db.schema
    .createTable('back_online_notices')
    .addColumn('conversation_id', 'uuid', (c) => c.primaryKey().references('conversations.id').onDelete('cascade'))
    // The customer's message (room seq) the notice answered: a later message while closed earns a new one.
    .addColumn('after_seq', 'integer', (c) => c.notNull())
    .addColumn('notified_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('back_online_notices').execute();
  await db.schema.alterTable('email_messages').dropColumn('contact_id').execute();
  await db.schema.alterTable('email_messages').dropColumn('notice_status').execute();
  await sql.raw('ALTER TABLE email_messages DROP CONSTRAINT IF EXISTS email_messages_kind_check').execute(db);
  await sql
    .raw(`ALTER TABLE email_messages ADD CONSTRAINT email_messages_kind_check CHECK (kind IN ('reply', 'transcript', 'csat'))`)
    .execute(db);
}
