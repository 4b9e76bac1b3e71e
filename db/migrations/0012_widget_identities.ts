import { type Kysely, sql } from 'kysely';

// External user ids from the widget's identity verification belong to the inbox whose secret signed
// them (issue 13): a token signed by another inbox's secret must not reach this inbox's contact. One
// row per (inbox, external id) says which contact that verified user is. Existing verified visitors
// are carried over. Never edit this file after it lands.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('widget_identities')
    .addColumn('inbox_id', 'uuid', (c) => c.notNull().references('inboxes.id').onDelete('cascade'))
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'uuid', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('widget_identities_pkey', ['inbox_id', 'external_id'])
    .execute();
  await db.schema.createIndex('widget_identities_contact').on('widget_identities').column('contact_id').execute();
  await sql`
    INSERT INTO widget_identities (inbox_id, external_id, contact_id)
    SELECT DISTINCT v.inbox_id, c.external_id, c.id
    FROM visitors v JOIN contacts c ON c.id = v.contact_id
    WHERE c.external_id IS NOT NULL
    ON CONFLICT DO NOTHING`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('widget_identities').execute();
}
