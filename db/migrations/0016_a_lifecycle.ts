import { type Kysely, sql } from 'kysely';

// Conversation lifecycle: links between conversations (a follow-up started after the reopen window, a
// related one), a macro's internal-note part, and a record of every macro use (who, when, where).
// Never edit this file after it lands: add a new migration.

export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(`CREATE TABLE conversation_links (
      conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
      linked_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('follow_up_of', 'followed_up_by', 'related')),
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (conversation_id, linked_id),
      CHECK (conversation_id <> linked_id)
    )`)
    .execute(db);
  await sql.raw(`ALTER TABLE macros ADD COLUMN note_html text NOT NULL DEFAULT ''`).execute(db);
  // The word after `/` in the composer; unique among what one person sees is checked by the app.
  await sql.raw('ALTER TABLE macros ADD COLUMN shortcut text').execute(db);
  await sql
    .raw(`CREATE TABLE macro_uses (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      macro_id uuid REFERENCES macros(id) ON DELETE SET NULL,
      macro_name text NOT NULL,
      user_id uuid REFERENCES users(id) ON DELETE SET NULL,
      conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
      used_at timestamptz(3) NOT NULL DEFAULT now()
    )`)
    .execute(db);
  // The demo's "Escalate to billing" had its internal note in the public reply: move it to the note part.
  await sql
    .raw(
      `UPDATE macros SET note_html = body_html, body_html = '' WHERE name = 'Escalate to billing' AND body_html LIKE '<p>Internal note:%'`,
    )
    .execute(db);
  await sql.raw('CREATE INDEX macro_uses_macro_idx ON macro_uses (macro_id, used_at)').execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('DROP TABLE macro_uses').execute(db);
  await sql.raw('ALTER TABLE macros DROP COLUMN shortcut').execute(db);
  await sql.raw('ALTER TABLE macros DROP COLUMN note_html').execute(db);
  await sql.raw('DROP TABLE conversation_links').execute(db);
}
