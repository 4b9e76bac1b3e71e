import { type Kysely, sql } from 'kysely';

// When a conversation's SLA clock started, so a change of priority recounts its due times from the
// same start (what the customer already waited does not reset). Never edit this file after it lands.

export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw('ALTER TABLE conversation_routing ADD COLUMN sla_started_at timestamptz(3)').execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('ALTER TABLE conversation_routing DROP COLUMN sla_started_at').execute(db);
}
