import type { Kysely } from 'kysely';

// What the widget last told about a visitor (page, referrer, language, time zone) and what the server
// read from the request (browser and OS): shown in the workspace's contact card and used for a
// readable name when the visitor gave none. Never edit this file after it lands.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contacts').addColumn('visitor_context', 'jsonb').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contacts').dropColumn('visitor_context').execute();
}
