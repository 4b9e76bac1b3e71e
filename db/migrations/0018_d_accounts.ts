import { type Kysely, sql } from 'kysely';

// Accounts: invitations, forgotten-password links, two-factor sign-in and the profile. Every token and
// recovery code is stored as a SHA-256 hash only; a TOTP secret is kept in the clear because the server
// must compute codes from it (it never leaves the server after enrolment). Links are minted by the mail
// sender at send time (account_mails holds only a reference), so no usable link is ever at rest.
// Never edit this file after it lands.

const statements = [
  `ALTER TABLE users
     ADD COLUMN display_name text,
     ADD COLUMN locale text,
     ADD COLUMN totp_secret text,
     ADD COLUMN totp_pending_secret text,
     ADD COLUMN totp_enabled_at timestamptz(3),
     ADD COLUMN totp_last_step bigint`,
  `ALTER TABLE sessions ADD COLUMN user_agent text, ADD COLUMN ip text`,
  `CREATE TABLE invitations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL,
    name text,
    role text NOT NULL CHECK (role IN ('admin','supervisor','agent')),
    inbox_ids uuid[] NOT NULL DEFAULT '{}',
    token_hash text UNIQUE,
    invited_by uuid REFERENCES users(id) ON DELETE SET NULL,
    expires_at timestamptz(3),
    sent_at timestamptz(3),
    accepted_at timestamptz(3),
    accepted_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
    revoked_at timestamptz(3),
    created_at timestamptz(3) NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX invitations_email_idx ON invitations (email)`,
  `CREATE TABLE password_resets (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash text UNIQUE,
    expires_at timestamptz(3),
    used_at timestamptz(3),
    created_at timestamptz(3) NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX password_resets_user_idx ON password_resets (user_id)`,
  `CREATE TABLE recovery_codes (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash text NOT NULL,
    used_at timestamptz(3),
    created_at timestamptz(3) NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX recovery_codes_user_idx ON recovery_codes (user_id)`,
  `CREATE TABLE login_challenges (
    id text PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose text NOT NULL CHECK (purpose IN ('verify','enrol')),
    pending_secret text,
    attempts integer NOT NULL DEFAULT 0,
    user_agent text,
    ip text,
    expires_at timestamptz(3) NOT NULL,
    created_at timestamptz(3) NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE account_mails (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind text NOT NULL CHECK (kind IN ('invitation','password_reset')),
    ref_id uuid NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz(3) NOT NULL DEFAULT now(),
    created_at timestamptz(3) NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX account_mails_due_idx ON account_mails (next_attempt_at)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['account_mails', 'login_challenges', 'recovery_codes', 'password_resets', 'invitations']) {
    await sql.raw(`DROP TABLE ${t}`).execute(db);
  }
  await sql.raw('ALTER TABLE sessions DROP COLUMN user_agent, DROP COLUMN ip').execute(db);
  await sql
    .raw(
      `ALTER TABLE users DROP COLUMN display_name, DROP COLUMN locale, DROP COLUMN totp_secret,
       DROP COLUMN totp_pending_secret, DROP COLUMN totp_enabled_at, DROP COLUMN totp_last_step`,
    )
    .execute(db);
}
