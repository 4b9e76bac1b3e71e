import { type Kysely, sql } from 'kysely';

// Reports (issue 22): the two figures the reports could not give.
// - agent_presence_log: every presence change as an interval (status from `started_at` until
//   `ended_at`, open while null), so time online/away/offline can be summed over any window. At most
//   one open interval per agent. Seeded from agent_routing_state so history starts where the cache is.
// - kb_article_views: help-center article views per article and UTC hour (a counter: no personal
//   data). A view counts once per visitor, article and UTC day: kb_view_keys holds, for the current
//   day only, a hash of the day's random salt (kb_view_salts), the article and the visitor; both are
//   dropped when the day is over, so yesterday's visitors cannot be recognised again.
// Never edit this file after it lands.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE agent_presence_log (
    id bigserial PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    status text NOT NULL CHECK (status IN ('online','away','offline')),
    started_at timestamptz(3) NOT NULL,
    ended_at timestamptz(3),
    CHECK (ended_at IS NULL OR ended_at >= started_at)
  )`.execute(db);
  await sql`CREATE UNIQUE INDEX agent_presence_log_open ON agent_presence_log (user_id) WHERE ended_at IS NULL`.execute(db);
  await sql`CREATE INDEX agent_presence_log_span ON agent_presence_log (user_id, started_at)`.execute(db);
  await sql`CREATE INDEX agent_presence_log_ended ON agent_presence_log (ended_at)`.execute(db);
  await sql`INSERT INTO agent_presence_log (user_id, status, started_at)
    SELECT user_id, presence, presence_changed_at FROM agent_routing_state`.execute(db);

  await sql`CREATE TABLE kb_article_views (
    article_id uuid NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
    hour timestamptz(3) NOT NULL,
    views integer NOT NULL DEFAULT 0,
    PRIMARY KEY (hour, article_id)
  )`.execute(db);
  await sql`CREATE TABLE kb_view_salts (
    day text PRIMARY KEY,
    salt text NOT NULL
  )`.execute(db);
  await sql`CREATE TABLE kb_view_keys (
    day text NOT NULL,
    key text NOT NULL,
    PRIMARY KEY (day, key)
  )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['kb_view_keys', 'kb_view_salts', 'kb_article_views', 'agent_presence_log'])
    await sql`DROP TABLE IF EXISTS ${sql.raw(t)}`.execute(db);
}
