import { type Kysely, sql } from 'kysely';

// Notifications that reach people where they are: the agents' notification centre (stored, read/unread,
// mailed or pushed once when the agent was away), per-agent and per-customer preferences, Web Push
// subscriptions (agents and customers), and proactive announcements to a segment of contacts with who
// saw or dismissed each. Never edit this file after it lands.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'uuid', (c) => c.references('conversations.id').onDelete('cascade'))
    .addColumn('message_id', 'uuid', (c) => c.references('messages.id').onDelete('set null'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text')
    .addColumn('read_at', sql`timestamptz(3)`)
    // Set once the offline agent was mailed (or the mail was not needed), so each is mailed at most once.
    .addColumn('emailed_at', sql`timestamptz(3)`)
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'created_at']).execute();
  await sql.raw('CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL').execute(db);
  await sql
    .raw('CREATE INDEX notifications_to_mail ON notifications (created_at) WHERE read_at IS NULL AND emailed_at IS NULL')
    .execute(db);

  await db.schema
    .createTable('agent_notification_prefs')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    // { [kind]: { inApp, desktop, push, email } }; a kind not named uses the defaults.
    .addColumn('kinds', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('sound', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('updated_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('contact_notification_prefs')
    .addColumn('contact_id', 'uuid', (c) => c.primaryKey().references('contacts.id').onDelete('cascade'))
    .addColumn('email_replies', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('email_status', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('push', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('unsubscribed_at', sql`timestamptz(3)`)
    .addColumn('updated_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('push_subscriptions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('contact_id', 'uuid', (c) => c.references('contacts.id').onDelete('cascade'))
    .addColumn('endpoint', 'text', (c) => c.notNull().unique())
    .addColumn('p256dh', 'text', (c) => c.notNull())
    .addColumn('auth', 'text', (c) => c.notNull())
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_success_at', sql`timestamptz(3)`)
    .addCheckConstraint('push_subscriptions_owner', sql`(user_id IS NULL) <> (contact_id IS NULL)`)
    .execute();
  await db.schema.createIndex('push_subscriptions_user').on('push_subscriptions').column('user_id').execute();
  await db.schema.createIndex('push_subscriptions_contact').on('push_subscriptions').column('contact_id').execute();

  await db.schema
    .createTable('announcements')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('announcement').check(sql`kind IN ('announcement', 'back_online')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    // { attributes?: {key: value}, seenWithinDays?: n, languages?: [..] }
    .addColumn('segment', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('inbox_id', 'uuid', (c) => c.references('inboxes.id').onDelete('cascade'))
    .addColumn('send_email', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', sql`timestamptz(3)`)
    .execute();
  await db.schema
    .createTable('announcement_receipts')
    .addColumn('announcement_id', 'uuid', (c) => c.notNull().references('announcements.id').onDelete('cascade'))
    .addColumn('contact_id', 'uuid', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('shown_at', sql`timestamptz(3)`)
    .addColumn('dismissed_at', sql`timestamptz(3)`)
    .addColumn('emailed_at', sql`timestamptz(3)`)
    .addPrimaryKeyConstraint('announcement_receipts_pk', ['announcement_id', 'contact_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('announcement_receipts').execute();
  await db.schema.dropTable('announcements').execute();
  await db.schema.dropTable('push_subscriptions').execute();
  await db.schema.dropTable('contact_notification_prefs').execute();
  await db.schema.dropTable('agent_notification_prefs').execute();
  await db.schema.dropTable('notifications').execute();
}
