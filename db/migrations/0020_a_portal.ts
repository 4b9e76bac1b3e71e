import { type Kysely, sql } from 'kysely';

// The customer portal (/portal): customers sign in with a mailed one-time link (its token stored only
// as a hash, minted when the mail is sent), optionally with a password of their own, or with the
// host site's signed identity. Customer sessions live in their own table, apart from agents' sessions.
// Custom fields gain `customer_visible`: the ones the portal's ticket form shows. Never edit this file
// after it lands.

const statements = [
  `CREATE TABLE portal_links (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    contact_id uuid NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    email text NOT NULL,
    token_hash text UNIQUE,
    expires_at timestamptz(3),
    used_at timestamptz(3),
    created_at timestamptz(3) NOT NULL DEFAULT now()
  )`,
  'CREATE INDEX portal_links_contact_idx ON portal_links (contact_id)',
  `CREATE TABLE portal_sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    contact_id uuid NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    token_hash text NOT NULL UNIQUE,
    via text NOT NULL CHECK (via IN ('link','password','identity')),
    user_agent text,
    ip text,
    created_at timestamptz(3) NOT NULL DEFAULT now(),
    last_seen_at timestamptz(3) NOT NULL DEFAULT now(),
    expires_at timestamptz(3) NOT NULL
  )`,
  'CREATE INDEX portal_sessions_contact_idx ON portal_sessions (contact_id)',
  `CREATE TABLE portal_passwords (
    contact_id uuid PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
    password_hash text NOT NULL,
    updated_at timestamptz(3) NOT NULL DEFAULT now()
  )`,
  'ALTER TABLE custom_field_definitions ADD COLUMN customer_visible boolean NOT NULL DEFAULT false',
  'ALTER TABLE account_mails DROP CONSTRAINT IF EXISTS account_mails_kind_check',
  `ALTER TABLE account_mails ADD CONSTRAINT account_mails_kind_check CHECK (kind IN ('invitation','password_reset','portal_link'))`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw("DELETE FROM account_mails WHERE kind = 'portal_link'").execute(db);
  await sql.raw('ALTER TABLE account_mails DROP CONSTRAINT IF EXISTS account_mails_kind_check').execute(db);
  await sql
    .raw(`ALTER TABLE account_mails ADD CONSTRAINT account_mails_kind_check CHECK (kind IN ('invitation','password_reset'))`)
    .execute(db);
  await sql.raw('ALTER TABLE custom_field_definitions DROP COLUMN customer_visible').execute(db);
  await sql.raw('DROP TABLE portal_passwords').execute(db);
  await sql.raw('DROP TABLE portal_sessions').execute(db);
  await sql.raw('DROP TABLE portal_links').execute(db);
}
