import { type Kysely, sql } from 'kysely';

// The typo fallback's lookup as one function: each unknown word's closest knowledge-base words, for all
// of a question's unknown words in one statement, always through the trigram index. Written inline, the
// planner costs similarity() like a cheap operator and chose a scan of the whole lexicon below some
// tens of thousands of words (2,900 words: 3.1 ms per word on an idle database, 9 ms under the bot
// bench's load) over the index (0.09 ms). A function's SET clause keeps that choice out of its body
// only; a parameter-free hint in the statement would not survive planning.
// Created only where pg_trgm is (0006); storage/extensions.ts turns typo tolerance off without it.
// Never edit this file after it lands: add a new migration.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`DO $do$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
      CREATE FUNCTION kb_typo_candidates(query_words text[], min_similarity float8, per_word int)
      RETURNS TABLE (query_word text, lexicon_word text, score float8) -- each word's best first
      LANGUAGE sql STABLE PARALLEL SAFE
      SET enable_seqscan = off
      AS $fn$
        SELECT q.w, x.word, x.sim
        FROM unnest(query_words) AS q(w)
        CROSS JOIN LATERAL (
          SELECT l.word, similarity(l.word, q.w)::float8 AS sim FROM kb_lexicon l
          WHERE l.word % q.w ORDER BY 2 DESC, 1 LIMIT per_word
        ) x
        WHERE x.sim >= min_similarity
        ORDER BY 1, 3 DESC, 2
      $fn$;
    END IF;
  END $do$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS kb_typo_candidates(text[], float8, int)`.execute(db);
}
