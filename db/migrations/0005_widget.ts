import { type Kysely, sql } from 'kysely';

// The chat widget: a per-inbox identity-verification secret (HMAC key for signed user ids) and the
// visitor's CSAT rating on the conversation. Never edit this file after it lands: add a new migration.

const SECRET = `(replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', ''))`;

const statements = [
  `ALTER TABLE inboxes ADD COLUMN identity_secret text NOT NULL DEFAULT ${SECRET}`,
  `ALTER TABLE conversations ADD COLUMN csat_rating smallint CHECK (csat_rating BETWEEN 1 AND 5)`,
  `ALTER TABLE conversations ADD COLUMN csat_comment text`,
  `ALTER TABLE conversations ADD COLUMN csat_at timestamptz(3)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('ALTER TABLE conversations DROP COLUMN csat_at').execute(db);
  await sql.raw('ALTER TABLE conversations DROP COLUMN csat_comment').execute(db);
  await sql.raw('ALTER TABLE conversations DROP COLUMN csat_rating').execute(db);
  await sql.raw('ALTER TABLE inboxes DROP COLUMN identity_secret').execute(db);
}
