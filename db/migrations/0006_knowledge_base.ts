import { type Kysely, sql } from 'kysely';

// Knowledge base (categories, articles with per-locale translations and kept versions, feedback,
// unanswered-question gaps) and the bot (explicit room ownership, its history, bot turns as jobs,
// message metadata for citations and actions). Never edit this file after it lands: add a new migration.
//
// Extensions are optional: unaccent (accent-insensitive search), pg_trgm (typo tolerance, gap grouping)
// and vector (pgvector, hybrid retrieval). Each is created only when the server offers it, so a Postgres
// without them still migrates; the app detects what is installed at start and says what it left out.

/** Languages with a Snowball stemmer we map locales to; anything else uses `simple`. */
export const SEARCH_LANGUAGES = ['english', 'german', 'french', 'spanish', 'portuguese', 'italian', 'dutch'] as const;

async function available(db: Kysely<any>, name: string): Promise<boolean> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_available_extensions WHERE name = ${name}`.execute(db);
  return (r.rows[0]?.n ?? 0) > 0;
}

export async function up(db: Kysely<any>): Promise<void> {
  const ext: Record<string, boolean> = {};
  for (const name of ['unaccent', 'pg_trgm', 'vector']) {
    ext[name] = await available(db, name);
    if (ext[name]) await sql.raw(`CREATE EXTENSION IF NOT EXISTS ${name === 'vector' ? 'vector' : `"${name}"`}`).execute(db);
  }

  // Our own text search configurations (autocrm_<language>): stemmed, and accent-insensitive when
  // unaccent exists, so "zurucksetzen" finds "zurücksetzen". Rows name the configuration they use.
  for (const lang of [...SEARCH_LANGUAGES, 'simple']) {
    const dict = lang === 'simple' ? 'simple' : `${lang}_stem`;
    await sql.raw(`CREATE TEXT SEARCH CONFIGURATION autocrm_${lang} (COPY = pg_catalog.${lang})`).execute(db);
    if (ext.unaccent) {
      await sql
        .raw(
          `ALTER TEXT SEARCH CONFIGURATION autocrm_${lang} ALTER MAPPING FOR hword, hword_part, word, asciiword, asciihword, hword_asciipart WITH unaccent, ${dict}`,
        )
        .execute(db);
    }
  }

  const statements = [
    `CREATE TABLE kb_categories (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      slug text NOT NULL UNIQUE,
      position integer NOT NULL DEFAULT 0,
      translations jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now()
    )`,
    `CREATE TABLE kb_articles (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      slug text NOT NULL UNIQUE,
      kind text NOT NULL CHECK (kind IN ('article', 'tutorial')),
      category_id uuid REFERENCES kb_categories(id) ON DELETE SET NULL,
      created_by uuid REFERENCES users(id) ON DELETE SET NULL,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now()
    )`,
    `CREATE TABLE kb_translations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      article_id uuid NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
      locale text NOT NULL,
      title text NOT NULL,
      body_markdown text,
      body_html text NOT NULL,
      body_text text NOT NULL,
      steps jsonb,
      keywords text[] NOT NULL DEFAULT '{}',
      keywords_text text NOT NULL DEFAULT '',
      status text NOT NULL CHECK (status IN ('draft', 'published')),
      version integer NOT NULL DEFAULT 1,
      search_config regconfig NOT NULL,
      search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector(search_config, title), 'A') ||
        setweight(to_tsvector(search_config, keywords_text), 'A') ||
        setweight(to_tsvector(search_config, body_text), 'B')
      ) STORED,
      author_id uuid REFERENCES users(id) ON DELETE SET NULL,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      published_at timestamptz(3),
      UNIQUE (article_id, locale)
    )`,
    'CREATE INDEX kb_translations_search ON kb_translations USING gin (search)',
    'CREATE INDEX kb_translations_locale ON kb_translations (locale, status)',
    `CREATE TABLE kb_versions (
      id bigserial PRIMARY KEY,
      article_id uuid NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
      locale text NOT NULL,
      version integer NOT NULL,
      title text NOT NULL,
      body_markdown text,
      body_html text NOT NULL,
      steps jsonb,
      status text NOT NULL,
      author_id uuid REFERENCES users(id) ON DELETE SET NULL,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      UNIQUE (article_id, locale, version)
    )`,
    // Words seen in articles: typo correction maps an unknown query word to its nearest known word.
    'CREATE TABLE kb_lexicon (word text PRIMARY KEY)',
    `CREATE TABLE kb_feedback (
      id bigserial PRIMARY KEY,
      article_id uuid NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
      locale text NOT NULL,
      helpful boolean NOT NULL,
      comment text,
      created_at timestamptz(3) NOT NULL DEFAULT now()
    )`,
    'CREATE INDEX kb_feedback_article ON kb_feedback (article_id)',
    `CREATE TABLE kb_gaps (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      question text NOT NULL,
      normalized text NOT NULL,
      language text,
      count integer NOT NULL DEFAULT 1,
      article_id uuid REFERENCES kb_articles(id) ON DELETE SET NULL,
      dismissed boolean NOT NULL DEFAULT false,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      last_asked_at timestamptz(3) NOT NULL DEFAULT now()
    )`,
    `CREATE TABLE kb_gap_examples (
      id bigserial PRIMARY KEY,
      gap_id uuid NOT NULL REFERENCES kb_gaps(id) ON DELETE CASCADE,
      conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
      question text NOT NULL,
      created_at timestamptz(3) NOT NULL DEFAULT now()
    )`,
    'CREATE INDEX kb_gap_examples_gap ON kb_gap_examples (gap_id, id DESC)',

    // Who answers the room: the bot first (widget inboxes with the bot on), then a person.
    `ALTER TABLE conversations ADD COLUMN owner text NOT NULL DEFAULT 'human' CHECK (owner IN ('bot', 'human'))`,
    'ALTER TABLE conversations ADD COLUMN bot_unhelpful_turns integer NOT NULL DEFAULT 0',
    'ALTER TABLE conversations ADD COLUMN locale text',
    `CREATE TABLE conversation_ownership (
      id bigserial PRIMARY KEY,
      conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
      from_owner text,
      to_owner text NOT NULL,
      reason text NOT NULL,
      actor_id uuid REFERENCES users(id) ON DELETE SET NULL,
      at timestamptz(3) NOT NULL DEFAULT now()
    )`,
    'CREATE INDEX conversation_ownership_conv ON conversation_ownership (conversation_id, id)',
    // One job per customer message in a bot-owned room, claimed by a worker on any process.
    `CREATE TABLE bot_turns (
      id bigserial PRIMARY KEY,
      conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
      message_id uuid NOT NULL UNIQUE REFERENCES messages(id) ON DELETE CASCADE,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      locked_until timestamptz(3),
      outcome text,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      finished_at timestamptz(3)
    )`,
    `CREATE INDEX bot_turns_pending ON bot_turns (id) WHERE status IN ('pending', 'running')`,
    // Bot messages carry their citations and offered actions (talk to a person) for the clients to render.
    `ALTER TABLE messages ADD COLUMN meta jsonb`,
  ];
  for (const s of statements) await sql.raw(s).execute(db);

  if (ext.pg_trgm) {
    await sql.raw('CREATE INDEX kb_translations_title_trgm ON kb_translations USING gin (title gin_trgm_ops)').execute(db);
    await sql.raw('CREATE INDEX kb_lexicon_trgm ON kb_lexicon USING gin (word gin_trgm_ops)').execute(db);
    await sql.raw('CREATE INDEX kb_gaps_trgm ON kb_gaps USING gin (normalized gin_trgm_ops)').execute(db);
  }
  if (ext.vector) {
    // No fixed dimension: whatever the configured embedding model returns; rows of another model are ignored.
    await sql
      .raw(`CREATE TABLE kb_embeddings (
        translation_id uuid PRIMARY KEY REFERENCES kb_translations(id) ON DELETE CASCADE,
        model text NOT NULL,
        content_hash text NOT NULL,
        embedding vector NOT NULL
      )`)
      .execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'kb_embeddings',
    'bot_turns',
    'conversation_ownership',
    'kb_gap_examples',
    'kb_gaps',
    'kb_feedback',
    'kb_lexicon',
    'kb_versions',
    'kb_translations',
    'kb_articles',
    'kb_categories',
  ])
    await sql.raw(`DROP TABLE IF EXISTS ${t}`).execute(db);
  await sql.raw('ALTER TABLE messages DROP COLUMN meta').execute(db);
  await sql.raw('ALTER TABLE conversations DROP COLUMN locale').execute(db);
  await sql.raw('ALTER TABLE conversations DROP COLUMN bot_unhelpful_turns').execute(db);
  await sql.raw('ALTER TABLE conversations DROP COLUMN owner').execute(db);
  for (const lang of [...SEARCH_LANGUAGES, 'simple'])
    await sql.raw(`DROP TEXT SEARCH CONFIGURATION IF EXISTS autocrm_${lang}`).execute(db);
}
