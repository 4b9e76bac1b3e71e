import { type Kysely, sql } from 'kysely';

// Automation rules (a trigger, conditions in the routing rules' language, actions), the record of every
// firing, and the cause an event carries when automation's own actions wrote it (loop protection).
// Never edit this file after it lands: add a new migration.

export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(`CREATE TABLE automation_rules (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      position integer NOT NULL DEFAULT 0,
      enabled boolean NOT NULL DEFAULT true,
      inbox_id uuid REFERENCES inboxes(id) ON DELETE CASCADE,
      trigger jsonb NOT NULL,
      match text NOT NULL DEFAULT 'all' CHECK (match IN ('all', 'any')),
      conditions jsonb NOT NULL DEFAULT '[]',
      actions jsonb NOT NULL DEFAULT '[]',
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now()
    )`)
    .execute(db);
  // event_key is "event:<outbox id>" or "time:<conversation>:<anchor>": one firing per rule and key,
  // so a redelivered event or a second worker round cannot fire a rule twice.
  await sql
    .raw(`CREATE TABLE automation_firings (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      rule_id uuid REFERENCES automation_rules(id) ON DELETE SET NULL,
      rule_name text NOT NULL,
      conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
      event_key text NOT NULL,
      event_type text NOT NULL,
      depth integer NOT NULL DEFAULT 0,
      actions jsonb NOT NULL DEFAULT '[]',
      result text NOT NULL CHECK (result IN ('ok', 'error', 'skipped')),
      error text,
      fired_at timestamptz(3) NOT NULL DEFAULT now(),
      UNIQUE (rule_id, event_key)
    )`)
    .execute(db);
  await sql.raw('CREATE INDEX automation_firings_conversation_idx ON automation_firings (conversation_id, fired_at)').execute(db);
  await sql.raw('CREATE INDEX automation_firings_rule_idx ON automation_firings (rule_id, fired_at)').execute(db);
  await sql.raw('ALTER TABLE outbox ADD COLUMN cause jsonb').execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('ALTER TABLE outbox DROP COLUMN cause').execute(db);
  await sql.raw('DROP TABLE automation_firings').execute(db);
  await sql.raw('DROP TABLE automation_rules').execute(db);
}
