import { type Kysely, sql } from 'kysely';

// Live rooms: widget visitors, per-participant read cursors, and message revisions that take a room seq.
// Never edit this file after it lands: add a new migration instead.

const statements = [
  `CREATE TABLE visitors (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    inbox_id uuid NOT NULL REFERENCES inboxes(id) ON DELETE CASCADE,
    contact_id uuid NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    token_hash text NOT NULL UNIQUE,
    created_at timestamptz(3) NOT NULL DEFAULT now(),
    last_seen_at timestamptz(3) NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX visitors_contact_idx ON visitors (contact_id)`,
  `CREATE TABLE read_cursors (
    conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    participant_kind text NOT NULL CHECK (participant_kind IN ('agent','contact')),
    participant_id uuid NOT NULL,
    last_read_seq integer NOT NULL,
    updated_at timestamptz(3) NOT NULL DEFAULT now(),
    PRIMARY KEY (conversation_id, participant_kind, participant_id)
  )`,
  // An edit or deletion takes the room's next seq, so clients catch up on it like on a new message.
  `ALTER TABLE messages ADD COLUMN revision_seq integer`,
  `CREATE INDEX messages_revision_idx ON messages (conversation_id, revision_seq) WHERE revision_seq IS NOT NULL`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('ALTER TABLE messages DROP COLUMN revision_seq').execute(db);
  await sql.raw('DROP TABLE read_cursors').execute(db);
  await sql.raw('DROP TABLE visitors').execute(db);
}
