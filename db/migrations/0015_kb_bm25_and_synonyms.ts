import { type Kysely, sql } from 'kysely';

// Knowledge-base ranking by BM25 (issue 16). BM25 needs each term's document frequency and the average
// document length per language; the database keeps them current itself, with statement-level triggers
// on kb_translations (one aggregated upsert per statement, so bulk imports stay cheap): only published
// texts count, per text search configuration. Lengths are the number of distinct lexemes of `search`.
// Also the admins' synonyms and abbreviations, per locale, applied at query time.
// Never edit this file after it lands: add a new migration.

const STATEMENTS = [
  `CREATE TABLE kb_term_stats (
    search_config regconfig NOT NULL,
    lexeme text NOT NULL,
    df integer NOT NULL,
    PRIMARY KEY (search_config, lexeme)
  )`,
  `CREATE TABLE kb_corpus_stats (
    search_config regconfig PRIMARY KEY,
    docs integer NOT NULL,
    total_len bigint NOT NULL
  )`,
  `CREATE FUNCTION kb_stats_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO kb_term_stats AS s (search_config, lexeme, df)
      SELECT n.search_config, l, count(*) FROM new_rows n, unnest(tsvector_to_array(n.search)) l
      WHERE n.status = 'published' GROUP BY 1, 2
    ON CONFLICT (search_config, lexeme) DO UPDATE SET df = s.df + excluded.df;
    INSERT INTO kb_corpus_stats AS c (search_config, docs, total_len)
      SELECT n.search_config, count(*), sum(length(n.search)) FROM new_rows n WHERE n.status = 'published' GROUP BY 1
    ON CONFLICT (search_config) DO UPDATE SET docs = c.docs + excluded.docs, total_len = c.total_len + excluded.total_len;
    RETURN NULL;
  END $$`,
  `CREATE FUNCTION kb_stats_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    UPDATE kb_term_stats s SET df = s.df - d.n
      FROM (SELECT o.search_config AS cfg, l, count(*) AS n FROM old_rows o, unnest(tsvector_to_array(o.search)) l
            WHERE o.status = 'published' GROUP BY 1, 2) d
      WHERE s.search_config = d.cfg AND s.lexeme = d.l;
    UPDATE kb_corpus_stats c SET docs = c.docs - d.n, total_len = c.total_len - d.len
      FROM (SELECT o.search_config AS cfg, count(*) AS n, sum(length(o.search)) AS len FROM old_rows o
            WHERE o.status = 'published' GROUP BY 1) d
      WHERE c.search_config = d.cfg;
    RETURN NULL;
  END $$`,
  `CREATE FUNCTION kb_stats_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    UPDATE kb_term_stats s SET df = s.df - d.n
      FROM (SELECT o.search_config AS cfg, l, count(*) AS n FROM old_rows o, unnest(tsvector_to_array(o.search)) l
            WHERE o.status = 'published' GROUP BY 1, 2) d
      WHERE s.search_config = d.cfg AND s.lexeme = d.l;
    UPDATE kb_corpus_stats c SET docs = c.docs - d.n, total_len = c.total_len - d.len
      FROM (SELECT o.search_config AS cfg, count(*) AS n, sum(length(o.search)) AS len FROM old_rows o
            WHERE o.status = 'published' GROUP BY 1) d
      WHERE c.search_config = d.cfg;
    INSERT INTO kb_term_stats AS s (search_config, lexeme, df)
      SELECT n.search_config, l, count(*) FROM new_rows n, unnest(tsvector_to_array(n.search)) l
      WHERE n.status = 'published' GROUP BY 1, 2
    ON CONFLICT (search_config, lexeme) DO UPDATE SET df = s.df + excluded.df;
    INSERT INTO kb_corpus_stats AS c (search_config, docs, total_len)
      SELECT n.search_config, count(*), sum(length(n.search)) FROM new_rows n WHERE n.status = 'published' GROUP BY 1
    ON CONFLICT (search_config) DO UPDATE SET docs = c.docs + excluded.docs, total_len = c.total_len + excluded.total_len;
    RETURN NULL;
  END $$`,
  `CREATE TRIGGER kb_stats_insert AFTER INSERT ON kb_translations
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kb_stats_on_insert()`,
  `CREATE TRIGGER kb_stats_delete AFTER DELETE ON kb_translations
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kb_stats_on_delete()`,
  `CREATE TRIGGER kb_stats_update AFTER UPDATE ON kb_translations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kb_stats_on_update()`,
  // What was published before this migration.
  `INSERT INTO kb_term_stats (search_config, lexeme, df)
    SELECT search_config, l, count(*) FROM kb_translations, unnest(tsvector_to_array(search)) l
    WHERE status = 'published' GROUP BY 1, 2`,
  `INSERT INTO kb_corpus_stats (search_config, docs, total_len)
    SELECT search_config, count(*), sum(length(search)) FROM kb_translations WHERE status = 'published' GROUP BY 1`,
  `CREATE TABLE kb_synonyms (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    locale text NOT NULL,
    term text NOT NULL,
    synonyms text[] NOT NULL,
    created_at timestamptz(3) NOT NULL DEFAULT now(),
    updated_at timestamptz(3) NOT NULL DEFAULT now(),
    UNIQUE (locale, term)
  )`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const s of STATEMENTS) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const s of [
    'DROP TABLE kb_synonyms',
    'DROP TRIGGER kb_stats_update ON kb_translations',
    'DROP TRIGGER kb_stats_delete ON kb_translations',
    'DROP TRIGGER kb_stats_insert ON kb_translations',
    'DROP FUNCTION kb_stats_on_update()',
    'DROP FUNCTION kb_stats_on_delete()',
    'DROP FUNCTION kb_stats_on_insert()',
    'DROP TABLE kb_corpus_stats',
    'DROP TABLE kb_term_stats',
  ])
    await sql.raw(s).execute(db);
}
