import { type Kysely, sql } from 'kysely';

// Reports (issue 22): the agents, service-levels and knowledge pages answer from rollups too.
// - report_facts gains each conversation's next-response waits (reply instant and wait in ms) and its
//   public agent replies (instant, author, and per author the handle time the agents page shows), so
//   the listener rolls them up per hour like the other figures. `reply_span` (first to last public
//   agent reply) finds the few conversations whose replies straddle a report window's edge, the only
//   ones whose handle time depends on the window (their figure is then computed from the raw tables).
// - report_rollups_span_cover: (dim, hour) with every other column, for index-only range reads.
// - kb_article_views_daily: article views per UTC day, next to the hourly counter, so a 90-day report
//   sums about 90 rows per article instead of 2,160. Filled here from the hourly rows.
// - agent_presence_rollups: milliseconds each agent spent in each status per UTC hour and per UTC day
//   (grain), from the closed presence intervals (routing/agent-presence.ts adds an interval when it
//   closes, the retention job takes out what it deletes). Open intervals are summed from the log.
// - Partial indexes for the figures still read from the raw tables: cited bot answers, conversations
//   with unhelpful bot turns, CSAT comments, SLA breaches (each a small part of its table).
// The server rebuilds the rollups once on start (ROLLUP_VERSION went up). Never edit this file after it lands.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE report_facts
    ADD COLUMN next_reply_ats timestamptz(3)[] NOT NULL DEFAULT '{}',
    ADD COLUMN next_wait_ms bigint[] NOT NULL DEFAULT '{}',
    ADD COLUMN reply_ats timestamptz(3)[] NOT NULL DEFAULT '{}',
    ADD COLUMN reply_authors text[] NOT NULL DEFAULT '{}',
    ADD COLUMN handle_authors text[] NOT NULL DEFAULT '{}',
    ADD COLUMN handle_first_ats timestamptz(3)[] NOT NULL DEFAULT '{}',
    ADD COLUMN handle_ms bigint[] NOT NULL DEFAULT '{}',
    ADD COLUMN reply_span tstzrange`.execute(db);
  await sql`CREATE INDEX report_facts_reply_span ON report_facts USING gist (reply_span)`.execute(db);
  // The agents page sums every agent's histogram rows (tens of thousands): from the index alone.
  await sql`CREATE INDEX report_rollups_span_cover ON report_rollups (dim, hour) INCLUDE (key, metric, n, total)`.execute(db);

  await sql`CREATE TABLE kb_article_views_daily (
    article_id uuid NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
    day timestamptz(3) NOT NULL,
    views integer NOT NULL DEFAULT 0,
    PRIMARY KEY (day, article_id)
  )`.execute(db);
  await sql`INSERT INTO kb_article_views_daily (article_id, day, views)
    SELECT article_id, date_trunc('day', hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', sum(views)
    FROM kb_article_views GROUP BY 1, 2`.execute(db);

  await sql`CREATE TABLE agent_presence_rollups (
    user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    status text NOT NULL,
    grain text NOT NULL CHECK (grain IN ('hour','day')),
    at timestamptz(3) NOT NULL,
    ms bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (grain, at, user_id, status)
  )`.execute(db);
  await sql`INSERT INTO agent_presence_rollups (user_id, status, grain, at, ms)
    SELECT l.user_id, l.status, g.grain, g.at,
      sum(round(extract(epoch from least(l.ended_at, g.at + g.span) - greatest(l.started_at, g.at)) * 1000))::bigint
    FROM agent_presence_log l
    CROSS JOIN LATERAL (
      SELECT 'hour' AS grain, h AS at, interval '1 hour' AS span
        FROM generate_series(date_trunc('hour', l.started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', l.ended_at, interval '1 hour') h
      UNION ALL SELECT 'day', d, interval '24 hours'
        FROM generate_series(date_trunc('day', l.started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', l.ended_at, interval '24 hours') d
    ) g
    WHERE l.ended_at IS NOT NULL AND g.at < l.ended_at
    GROUP BY 1, 2, 3, 4`.execute(db);

  await sql`CREATE INDEX messages_cited_bot_answers ON messages (created_at)
    WHERE author_kind = 'bot' AND deleted_at IS NULL
      AND jsonb_typeof(meta->'citations') = 'array' AND jsonb_array_length(meta->'citations') > 0`.execute(db);
  await sql`CREATE INDEX conversations_bot_unhelpful ON conversations (created_at) WHERE bot_unhelpful_turns > 0`.execute(db);
  await sql`CREATE INDEX conversations_csat_comments ON conversations (csat_at)
    WHERE csat_rating IS NOT NULL AND coalesce(btrim(csat_comment), '') <> ''`.execute(db);
  await sql`CREATE INDEX audit_log_sla_breached ON audit_log (at) WHERE action = 'sla.breached'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const i of [
    'audit_log_sla_breached',
    'conversations_csat_comments',
    'conversations_bot_unhelpful',
    'messages_cited_bot_answers',
  ])
    await sql`DROP INDEX IF EXISTS ${sql.raw(i)}`.execute(db);
  await sql`DROP TABLE IF EXISTS kb_article_views_daily`.execute(db);
  await sql`DROP TABLE IF EXISTS agent_presence_rollups`.execute(db);
  await sql`DROP INDEX IF EXISTS report_facts_reply_span`.execute(db);
  await sql`DROP INDEX IF EXISTS report_rollups_span_cover`.execute(db);
  await sql`ALTER TABLE report_facts
    DROP COLUMN next_reply_ats, DROP COLUMN next_wait_ms, DROP COLUMN reply_ats, DROP COLUMN reply_authors,
    DROP COLUMN handle_authors, DROP COLUMN handle_first_ats, DROP COLUMN handle_ms, DROP COLUMN reply_span`.execute(db);
}
