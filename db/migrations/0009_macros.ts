import { type Kysely, sql } from 'kysely';

// Macros: a reply body plus field changes (status, priority, tags, assignee, team, custom fields) that an
// agent applies to a conversation in one step. Shared ones belong to the workspace, personal ones to
// their owner. Never edit this file after it lands: add a new migration.

export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(`CREATE TABLE macros (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      body_html text NOT NULL DEFAULT '',
      actions jsonb NOT NULL DEFAULT '[]',
      visibility text NOT NULL CHECK (visibility IN ('shared', 'personal')),
      owner_id uuid REFERENCES users(id) ON DELETE CASCADE,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      CHECK (visibility = 'shared' OR owner_id IS NOT NULL)
    )`)
    .execute(db);
  await sql.raw('CREATE INDEX macros_owner_idx ON macros (owner_id)').execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('DROP TABLE macros').execute(db);
}
