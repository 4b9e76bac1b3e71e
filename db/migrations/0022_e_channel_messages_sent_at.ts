import { type Kysely, sql } from 'kysely';

// Issue 20: when the provider says the customer sent an inbound message (WhatsApp's `timestamp`,
// Messenger's event `timestamp`), beside when we received it (`created_at`). Meta's messaging windows
// (24 hours, 7 days for HUMAN_AGENT) count from the customer's message, and Meta redelivers a webhook
// for days after an outage of ours: counting from our receive time would open a window Meta has
// already closed. Null for outbound rows and for providers that do not say (Twilio).
// Never edit this file after it lands.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('channel_messages').addColumn('sent_at', sql`timestamptz(3)`).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('channel_messages').dropColumn('sent_at').execute();
}
