import { type Kysely, sql } from 'kysely';

// Shared reply drafts: one Yjs document per conversation, stored as its encoded state so a draft
// survives a restart and is the same on every process. Never edit this file after it lands.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('drafts')
    .addColumn('conversation_id', 'uuid', (c) => c.primaryKey().references('conversations.id').onDelete('cascade'))
    .addColumn('state', sql`bytea`, (c) => c.notNull())
    .addColumn('updated_by', 'uuid')
    .addColumn('updated_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('drafts').execute();
}
