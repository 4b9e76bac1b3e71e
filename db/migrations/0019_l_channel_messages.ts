import { type Kysely, sql } from 'kysely';

// Messaging channels (SMS now; WhatsApp and Messenger share the shape): one row per message that
// crossed a provider, in or out. Inbound rows deduplicate a provider's retries by its message id;
// outbound rows are the delivery queue (attempts, next try) and carry the provider's delivery state,
// shown per message in the room. Opt-outs (STOP) per inbox and address. Never edit this file after it lands.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('channel_messages')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('inbox_id', 'uuid', (c) => c.notNull().references('inboxes.id').onDelete('cascade'))
    .addColumn('conversation_id', 'uuid', (c) => c.references('conversations.id').onDelete('set null'))
    .addColumn('message_id', 'uuid', (c) => c.references('messages.id').onDelete('set null'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction IN ('in', 'out')`))
    .addColumn('external_id', 'text')
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('media', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    // What a provider needs beyond text and media (a WhatsApp template with its parameters).
    .addColumn('payload', 'jsonb')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('segments', 'integer')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', sql`timestamptz(3)`)
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql
    .raw(
      'CREATE UNIQUE INDEX channel_messages_external ON channel_messages (provider, direction, external_id) WHERE external_id IS NOT NULL',
    )
    .execute(db);
  await sql
    .raw(`CREATE INDEX channel_messages_due ON channel_messages (next_attempt_at) WHERE direction = 'out' AND status = 'queued'`)
    .execute(db);
  await db.schema.createIndex('channel_messages_message').on('channel_messages').column('message_id').execute();
  await db.schema
    .createTable('channel_opt_outs')
    .addColumn('inbox_id', 'uuid', (c) => c.notNull().references('inboxes.id').onDelete('cascade'))
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('channel_opt_outs_pk', ['inbox_id', 'address'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('channel_opt_outs').execute();
  await db.schema.dropTable('channel_messages').execute();
}
