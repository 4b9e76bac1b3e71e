import { type Kysely, sql } from 'kysely';

// Email, second part: IMAP mailboxes polled per inbox (the last UID imported, so a restart neither
// imports twice nor misses one, and a lease so that among many processes exactly one polls each
// mailbox), agents' own signatures, and outgoing mails that are not replies (a transcript, a CSAT
// survey) kept with their composed body in the same delivery queue. Never edit this file after it lands.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('email_imap_state')
    .addColumn('inbox_id', 'uuid', (c) => c.primaryKey().references('inboxes.id').onDelete('cascade'))
    .addColumn('mailbox', 'text', (c) => c.notNull().defaultTo('INBOX'))
    // UIDVALIDITY and UIDs are unsigned 32-bit numbers: bigint holds them.
    .addColumn('uid_validity', 'bigint')
    .addColumn('last_uid', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('leased_by', 'text')
    .addColumn('lease_until', sql`timestamptz(3)`)
    .addColumn('last_error', 'text')
    .addColumn('last_synced_at', sql`timestamptz(3)`)
    .execute();
  await db.schema
    .createTable('email_agent_signatures')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('updated_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql
    .raw(
      `ALTER TABLE email_messages ADD COLUMN kind text NOT NULL DEFAULT 'reply' CHECK (kind IN ('reply', 'transcript', 'csat'))`,
    )
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('ALTER TABLE email_messages DROP COLUMN kind').execute(db);
  await db.schema.dropTable('email_agent_signatures').execute();
  await db.schema.dropTable('email_imap_state').execute();
}
