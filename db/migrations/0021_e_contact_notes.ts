import { type Kysely, sql } from 'kysely';

// Issue 18: internal notes about a contact (not about one conversation): what agents should know about
// the person, written by an agent at a time. Gone with the contact (cascade; erasure deletes them too)
// and moved to the survivor when two contacts merge. Never edit this file after it lands.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('contact_notes')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('contact_id', 'uuid', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    // The agent who wrote it (null: written through an API key, or the agent's account was deleted).
    .addColumn('author_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('contact_notes_contact').on('contact_notes').columns(['contact_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('contact_notes').execute();
}
