import { type Kysely, sql } from 'kysely';

// Issue 19: companies (contacts join one by email domain or by hand), custom fields for contacts as
// well as conversations (`entity`), archived conversations (out of the hot lists, still readable) and
// per-inbox retention overrides (null: the workspace policy), and the language of an invitation's mail. Never edit this file after it lands.

export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(`CREATE TABLE companies (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      domain text,
      notes text NOT NULL DEFAULT '',
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now()
    )`)
    .execute(db);
  await sql.raw('CREATE UNIQUE INDEX companies_domain ON companies (domain) WHERE domain IS NOT NULL').execute(db);
  await sql.raw('CREATE INDEX companies_name ON companies (lower(name))').execute(db);
  await sql.raw('ALTER TABLE contacts ADD COLUMN company_id uuid REFERENCES companies(id) ON DELETE SET NULL').execute(db);
  await sql.raw('CREATE INDEX contacts_company ON contacts (company_id) WHERE company_id IS NOT NULL').execute(db);

  await sql
    .raw(
      `ALTER TABLE custom_field_definitions ADD COLUMN entity text NOT NULL DEFAULT 'conversation' CHECK (entity IN ('conversation', 'contact'))`,
    )
    .execute(db);
  await sql.raw(`ALTER TABLE contacts ADD COLUMN custom_fields jsonb NOT NULL DEFAULT '{}'`).execute(db);

  await sql.raw('ALTER TABLE conversations ADD COLUMN archived_at timestamptz(3)').execute(db);
  await sql.raw('CREATE INDEX conversations_archived ON conversations (archived_at) WHERE archived_at IS NOT NULL').execute(db);
  await sql.raw('ALTER TABLE inboxes ADD COLUMN retention jsonb').execute(db);
  // The language of an invitation's mail (null: the inviting admin's).
  await sql.raw('ALTER TABLE invitations ADD COLUMN locale text').execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('ALTER TABLE invitations DROP COLUMN locale').execute(db);
  await sql.raw('ALTER TABLE inboxes DROP COLUMN retention').execute(db);
  await sql.raw('ALTER TABLE conversations DROP COLUMN archived_at').execute(db);
  await sql.raw('ALTER TABLE contacts DROP COLUMN custom_fields').execute(db);
  await sql.raw('ALTER TABLE custom_field_definitions DROP COLUMN entity').execute(db);
  await sql.raw('ALTER TABLE contacts DROP COLUMN company_id').execute(db);
  await sql.raw('DROP TABLE companies').execute(db);
}
