import { type Kysely, sql } from 'kysely';

// Merge and link: a conversation merged into another points at it (it stays, closed, as a signpost for
// old links and for customers who write to it again), and a macro carries files attached to its reply.
// Contacts merged into another are deleted after everything moved (the audit log keeps what they were).
// Never edit this file after it lands: add a new migration.

export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw('ALTER TABLE conversations ADD COLUMN merged_into_id uuid REFERENCES conversations(id) ON DELETE SET NULL')
    .execute(db);
  await sql.raw(`ALTER TABLE macros ADD COLUMN attachments jsonb NOT NULL DEFAULT '[]'`).execute(db);
  await sql
    .raw(`ALTER TABLE conversation_links DROP CONSTRAINT conversation_links_kind_check,
      ADD CONSTRAINT conversation_links_kind_check
      CHECK (kind IN ('follow_up_of', 'followed_up_by', 'related', 'merged_into', 'merged_from'))`)
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`DELETE FROM conversation_links WHERE kind IN ('merged_into', 'merged_from')`).execute(db);
  await sql
    .raw(`ALTER TABLE conversation_links DROP CONSTRAINT conversation_links_kind_check,
      ADD CONSTRAINT conversation_links_kind_check CHECK (kind IN ('follow_up_of', 'followed_up_by', 'related'))`)
    .execute(db);
  await sql.raw('ALTER TABLE macros DROP COLUMN attachments').execute(db);
  await sql.raw('ALTER TABLE conversations DROP COLUMN merged_into_id').execute(db);
}
