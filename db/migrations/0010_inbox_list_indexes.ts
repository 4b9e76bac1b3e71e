import { type Kysely, sql } from 'kysely';

// Conversation lists at scale (issue 8's 100,000-conversation inbox). The waiting-time sort orders by
// coalesce(waiting_since, 'infinity') so nobody-waiting rows come last; the plain (waiting_since, id)
// index could not serve that expression, so the sort read and sorted the whole table. Lists are
// usually filtered by inbox, so each sort also gets an (inbox_id, key, id) index that serves the
// filter and the keyset order together. Never edit this file after it lands: add a new migration.

const WAITING_KEY = `(coalesce(waiting_since, 'infinity'::timestamptz))`;

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'DROP INDEX conversations_waiting_idx',
    `CREATE INDEX conversations_waiting_idx ON conversations (${WAITING_KEY}, id)`,
    'DROP INDEX conversations_inbox_idx',
    'CREATE INDEX conversations_inbox_idx ON conversations (inbox_id, last_activity_at, id)',
    'CREATE INDEX conversations_inbox_created_idx ON conversations (inbox_id, created_at, id)',
    'CREATE INDEX conversations_inbox_priority_idx ON conversations (inbox_id, priority_rank, id)',
    `CREATE INDEX conversations_inbox_waiting_idx ON conversations (inbox_id, ${WAITING_KEY}, id)`,
  ])
    await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'DROP INDEX conversations_inbox_waiting_idx',
    'DROP INDEX conversations_inbox_priority_idx',
    'DROP INDEX conversations_inbox_created_idx',
    'DROP INDEX conversations_inbox_idx',
    'CREATE INDEX conversations_inbox_idx ON conversations (inbox_id, last_activity_at)',
    'DROP INDEX conversations_waiting_idx',
    'CREATE INDEX conversations_waiting_idx ON conversations (waiting_since, id)',
  ])
    await sql.raw(statement).execute(db);
}
