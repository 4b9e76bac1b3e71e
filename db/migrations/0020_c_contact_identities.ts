import { type Kysely, sql } from 'kysely';

// One customer across channels: every address a contact is known by (an email, a phone number, a
// WhatsApp number, a Messenger PSID or Instagram IGSID of one page, a widget visitor, a verified external
// id). An inbound message finds its contact here, so the same person on SMS, WhatsApp and email is one
// contact; merging two contacts moves their identities. Page-scoped ids (PSID, IGSID) and widget
// visitors carry their inbox; an email or phone number is one identity workspace-wide.
// Existing contacts are filled from their columns, widget identities and messaging traffic.
// Never edit this file after it lands.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('contact_identities')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('contact_id', 'uuid', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind IN ('email', 'phone', 'whatsapp', 'messenger', 'instagram', 'widget', 'external')`),
    )
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('inbox_id', 'uuid', (c) => c.references('inboxes.id').onDelete('cascade'))
    .addColumn('verified', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // One owner per address: (kind, value) workspace-wide, or within one inbox for page-scoped ids.
  await sql
    .raw(
      `CREATE UNIQUE INDEX contact_identities_address ON contact_identities (kind, value, COALESCE(inbox_id, '00000000-0000-0000-0000-000000000000'::uuid))`,
    )
    .execute(db);
  await db.schema.createIndex('contact_identities_contact').on('contact_identities').column('contact_id').execute();

  // Fill from what is known. Emails compare case-insensitively (stored lower-cased); the oldest contact
  // keeps an address two contacts share (the unique index takes the first).
  await sql`
    INSERT INTO contact_identities (contact_id, kind, value, verified, created_at)
    SELECT id, 'email', lower(email), false, created_at FROM contacts
    WHERE email IS NOT NULL AND email <> '' AND erased_at IS NULL ORDER BY created_at
    ON CONFLICT DO NOTHING`.execute(db);
  await sql`
    INSERT INTO contact_identities (contact_id, kind, value, verified, created_at)
    SELECT id, 'phone', phone, false, created_at FROM contacts
    WHERE phone IS NOT NULL AND phone <> '' AND erased_at IS NULL ORDER BY created_at
    ON CONFLICT DO NOTHING`.execute(db);
  await sql`
    INSERT INTO contact_identities (contact_id, kind, value, verified, created_at)
    SELECT id, 'external', external_id, true, created_at FROM contacts
    WHERE external_id IS NOT NULL AND external_id <> '' AND erased_at IS NULL ORDER BY created_at
    ON CONFLICT DO NOTHING`.execute(db);
  await sql`
    INSERT INTO contact_identities (contact_id, kind, value, inbox_id, verified, created_at)
    SELECT contact_id, 'widget', external_id, inbox_id, true, created_at FROM widget_identities
    ORDER BY created_at
    ON CONFLICT DO NOTHING`.execute(db);
  // WhatsApp numbers from the messages already received (the contact of their conversation).
  await sql`
    INSERT INTO contact_identities (contact_id, kind, value, verified, created_at)
    SELECT DISTINCT ON (cm.from_address) c.contact_id, 'whatsapp', cm.from_address, true, cm.created_at
    FROM channel_messages cm JOIN conversations c ON c.id = cm.conversation_id
    WHERE cm.provider = 'whatsapp' AND cm.direction = 'in'
    ORDER BY cm.from_address, cm.created_at
    ON CONFLICT DO NOTHING`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('contact_identities').execute();
}
