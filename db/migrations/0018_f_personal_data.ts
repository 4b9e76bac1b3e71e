import { type Kysely, sql } from 'kysely';

// Personal data: an erased contact stays as a tombstone (its id, for the counts and reports of its
// conversations, and so late events find nothing to re-create); a conversation whose content retention
// removed is marked so the job does not visit it again. Never edit this file after it lands.

export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw('ALTER TABLE contacts ADD COLUMN erased_at timestamptz(3)').execute(db);
  await sql.raw('ALTER TABLE conversations ADD COLUMN redacted_at timestamptz(3)').execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('ALTER TABLE conversations DROP COLUMN redacted_at').execute(db);
  await sql.raw('ALTER TABLE contacts DROP COLUMN erased_at').execute(db);
}
