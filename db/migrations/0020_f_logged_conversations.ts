import { type Kysely, sql } from 'kysely';

// A phone call or a walk-in an agent logs as a conversation: its channel is how the customer reached
// us, not the inbox's channel (null: the inbox's, as before). Never edit this file after it lands.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('conversations')
    .addColumn('logged_via', 'text', (c) => c.check(sql`logged_via IN ('phone', 'walk_in')`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('conversations').dropColumn('logged_via').execute();
}
