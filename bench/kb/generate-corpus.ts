import { sql } from 'kysely';
import { SAMPLE_ARTICLES } from '../../db/kb-sample/sample-kb';
import { wordsOf } from '../../server/src/domain/kb/lexicon';
import { loadSampleKb } from '../../server/src/seed/seed-demo-kb';
import type { Db } from '../../server/src/storage/db';

/**
 * A large knowledge base for the search benchmark: the 41 real sample articles (so the evaluation
 * questions still have right answers, now among noise) plus `n` generated English articles. Titles
 * come from the sample's own vocabulary; bodies mix one word in ten from it with a long tail of 30,000
 * other terms, as a real large help center's words are spread: each question word then matches about
 * 1% of the articles (a thousand at 100,000). Deterministic, written in bulk with SQL.
 */
export async function generateCorpus(db: Db, n: number): Promise<void> {
  await loadSampleKb(db);
  const vocab = [
    ...new Set(SAMPLE_ARTICLES.flatMap((a) => wordsOf(`${a.translations.en.title} ${a.translations.en.body}`))),
  ].sort();
  const batch = 5000;
  for (let from = 1; from <= n; from += batch) {
    const to = Math.min(n, from + batch - 1);
    await sql`
      WITH v AS (SELECT ${sql.val(vocab)}::text[] AS w, ${vocab.length}::int AS wn),
      a AS (
        INSERT INTO kb_articles (slug, kind, updated_at)
        SELECT 'generated-' || i, 'article', now() FROM generate_series(${from}::int, ${to}::int) i
        RETURNING id, slug
      )
      INSERT INTO kb_translations (article_id, locale, title, body_html, body_text, status, search_config, published_at, updated_at)
      SELECT a.id, 'en', t.title, '', t.body, 'published', 'autocrm_english', now(), now()
      FROM a, v,
      LATERAL (SELECT substring(a.slug from 11)::int AS i) x,
      LATERAL (
        SELECT
          (SELECT string_agg(v.w[1 + ((x.i::bigint * 7919 + k::bigint * 104729) % v.wn)::int], ' ') FROM generate_series(1, 6) k) AS title,
          (SELECT string_agg(CASE WHEN (x.i::bigint * 31 + k * 17) % 10 = 0
              THEN v.w[1 + ((x.i::bigint * 15485863 + k::bigint * 32452843) % v.wn)::int]
              ELSE 'term' || ((x.i::bigint * 2654435761 + k::bigint * 40503) % 30000)::text END, ' ')
           FROM generate_series(1, 150) k) AS body
      ) t`.execute(db);
  }
  await db
    .insertInto('kb_lexicon')
    .values(vocab.map((word) => ({ word })))
    .onConflict((oc) => oc.column('word').doNothing())
    .execute();
  await sql`ANALYZE kb_translations`.execute(db);
}
