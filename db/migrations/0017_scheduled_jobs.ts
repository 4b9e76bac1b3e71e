import { type Kysely, sql } from 'kysely';

// Scheduled maintenance: one row per job holds its schedule, when it is next due and who holds the
// lease on the current run, so that among many processes each due run is claimed by exactly one
// (a conditional UPDATE). job_runs keeps the recent runs admins see. Never edit this file after it lands.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('scheduled_jobs')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('schedule', 'text', (c) => c.notNull())
    .addColumn('next_run_at', sql`timestamptz(3)`, (c) => c.notNull())
    .addColumn('lease_until', sql`timestamptz(3)`)
    .addColumn('leased_by', 'text')
    .addColumn('last_started_at', sql`timestamptz(3)`)
    .addColumn('last_finished_at', sql`timestamptz(3)`)
    .addColumn('last_status', 'text', (c) => c.check(sql`last_status IN ('ok', 'failed')`))
    .addColumn('last_result', 'jsonb')
    .addColumn('last_error', 'text')
    .addColumn('runs', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('job_runs')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().references('scheduled_jobs.name').onDelete('cascade'))
    .addColumn('scheduled_for', sql`timestamptz(3)`, (c) => c.notNull())
    .addColumn('runner', 'text', (c) => c.notNull())
    .addColumn('started_at', sql`timestamptz(3)`, (c) => c.notNull())
    .addColumn('finished_at', sql`timestamptz(3)`)
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('running', 'ok', 'failed')`))
    .addColumn('result', 'jsonb')
    .addColumn('error', 'text')
    .execute();
  // One run per job and due time, whatever happens to leases: the database itself refuses a second.
  await sql`CREATE UNIQUE INDEX job_runs_once_idx ON job_runs (name, scheduled_for)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('job_runs').execute();
  await db.schema.dropTable('scheduled_jobs').execute();
}
