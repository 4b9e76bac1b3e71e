import { type Kysely, sql } from 'kysely';

// Reports at scale (issue 22). `report_facts`: one row per counted conversation (not merged away) with
// the dimensions it is reported under and its figures, kept by the outbox listener
// server/src/listeners/maintain-report-rollups.ts. `report_rollups`: per UTC hour, dimension
// ('all', inbox, channel, team, agent, tag, priority) and key, each metric's count `n` and sum `total`
// (milliseconds for durations, the rating for CSAT). The listener moves a conversation's contribution
// from its old fact to its new one, so reassigning, retagging, reopening or merging stays exact.
// The server fills both from the raw tables the first time it starts on this schema (and
// `npm run reports:rebuild` does it again on demand). Never edit this file after it lands.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('report_facts')
    .addColumn('conversation_id', 'uuid', (c) => c.primaryKey().references('conversations.id').onDelete('cascade'))
    .addColumn('inbox_id', 'uuid', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('team_id', 'uuid')
    .addColumn('assignee_id', 'uuid')
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('tags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull())
    .addColumn('first_response_ms', 'bigint')
    .addColumn('resolved_at', sql`timestamptz(3)`)
    .addColumn('resolution_ms', 'bigint')
    .addColumn('csat_rating', 'integer')
    .addColumn('csat_at', sql`timestamptz(3)`)
    .addColumn('bot_handled', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('deflected', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('reopens', sql`timestamptz(3)[]`, (c) => c.notNull().defaultTo(sql`'{}'::timestamptz(3)[]`))
    .addColumn('handoff_ats', sql`timestamptz(3)[]`, (c) => c.notNull().defaultTo(sql`'{}'::timestamptz(3)[]`))
    .addColumn('handoff_reasons', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .execute();
  // Covering indexes: medians and p90s over a window (also one agent's) read from the index alone.
  await sql`CREATE INDEX report_facts_created ON report_facts (created_at) INCLUDE (first_response_ms, assignee_id)`.execute(db);
  await sql`CREATE INDEX report_facts_resolved ON report_facts (resolved_at) INCLUDE (resolution_ms, assignee_id)`.execute(db);
  await db.schema
    .createTable('report_rollups')
    .addColumn('dim', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('hour', sql`timestamptz(3)`, (c) => c.notNull())
    .addColumn('n', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('total', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('report_rollups_pk', ['dim', 'key', 'metric', 'hour'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('report_rollups').ifExists().execute();
  await db.schema.dropTable('report_facts').ifExists().execute();
}
