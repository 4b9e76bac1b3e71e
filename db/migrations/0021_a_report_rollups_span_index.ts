import { type Kysely, sql } from 'kysely';

// Reports (issue 22): rollups now also hold per-UTC-day rows (dimension `<dim>/day`) and duration
// histograms, and a report reads whole days from the day rows and only the hours at the window's edges
// from the hourly rows. The primary key (dim, key, metric, hour) cannot narrow by hour without a
// metric; this index finds a dimension's rows in an hour range. The server rebuilds the rollups once
// on start (their version went up), which writes the new rows. Never edit this file after it lands.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX report_rollups_span ON report_rollups (dim, hour, key)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS report_rollups_span`.execute(db);
}
