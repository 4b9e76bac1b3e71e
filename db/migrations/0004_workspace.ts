import { type Kysely, sql } from 'kysely';

// Agent workspace: saved queue views, personal (owner_id set) or shared with everyone (owner_id null).
// Never edit this file after it lands: add a new migration instead.

const statements = [
  `CREATE TABLE saved_views (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_id uuid REFERENCES users(id) ON DELETE CASCADE,
    name text NOT NULL,
    filters jsonb NOT NULL,
    created_at timestamptz(3) NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX saved_views_owner_idx ON saved_views (owner_id)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('DROP TABLE IF EXISTS saved_views').execute(db);
}
