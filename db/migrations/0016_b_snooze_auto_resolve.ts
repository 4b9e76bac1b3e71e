import { type Kysely, sql } from 'kysely';

// Snooze (until a time and/or until the customer replies) and the auto-resolve reminder of idle pending
// conversations. Never edit this file after it lands: add a new migration.

export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(`ALTER TABLE conversations
      ADD COLUMN snoozed_until timestamptz(3),
      ADD COLUMN snooze_until_reply boolean NOT NULL DEFAULT false,
      ADD COLUMN snoozed_by uuid REFERENCES users(id) ON DELETE SET NULL,
      ADD COLUMN reminder_sent_at timestamptz(3),
      ADD COLUMN idle_since timestamptz(3)`)
    .execute(db);
  // The wake-up worker looks for due snoozes; a partial index keeps that to the snoozed few.
  await sql
    .raw('CREATE INDEX conversations_snoozed_idx ON conversations (snoozed_until) WHERE snoozed_until IS NOT NULL')
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('DROP INDEX conversations_snoozed_idx').execute(db);
  await sql
    .raw(`ALTER TABLE conversations DROP COLUMN snoozed_until, DROP COLUMN snooze_until_reply, DROP COLUMN snoozed_by,
      DROP COLUMN reminder_sent_at, DROP COLUMN idle_since`)
    .execute(db);
}
