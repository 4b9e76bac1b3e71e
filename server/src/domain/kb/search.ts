import type { KbSearchHit, KbSearchResult } from '@autocrm/shared';
import { escapeUTF8 } from 'entities';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import type { DbCapabilities } from '../../storage/extensions';
import type { Embedder } from './embeddings';
import { correctTypos, wordsOf } from './lexicon';
import { searchConfigFor } from './search-language';

export interface KbSearchContext {
  db: Db;
  caps: DbCapabilities;
  /** The knowledge base's default locale: the fallback when an article is not translated. */
  defaultLocale: string;
  /** Set when an embeddings endpoint is configured and pgvector is installed: hybrid retrieval. */
  embedder?: Embedder | undefined;
}

export interface KbSearchOptions {
  q: string;
  locale?: string | undefined;
  limit?: number | undefined;
  categoryId?: string | undefined;
}

/** Where an article lives in the help center (relative; clients resolve it against the server). */
export const articlePath = (locale: string, slug: string) => `/help/${locale}/articles/${slug}`;

/** How many best-covered candidates are ranked in full (see the pool step of the query). */
const POOL = 1000;
// Snippet markers that never occur in article text; the snippet is escaped, then they become <mark>.
const OPEN = '\u27E6';
const CLOSE = '\u27E7';

interface Candidate {
  translation_id: string;
  article_id: string;
  slug: string;
  kind: 'article' | 'tutorial';
  locale: string;
  title: string;
  snippet: string;
  rank: number;
  matched: number;
  total: number;
  title_sim: number;
}

/**
 * Ranked search over published articles in the asked locale, falling back to the default locale for
 * articles not translated. Full text with a per-language stemmer, every query word optional (customers
 * ask in sentences), typo correction through pg_trgm, and with embeddings a reciprocal-rank fusion
 * with vector similarity.
 */
export async function searchKb(ctx: KbSearchContext, opts: KbSearchOptions): Promise<KbSearchResult> {
  const { db, caps } = ctx;
  const limit = opts.limit ?? 5;
  const locale = opts.locale ?? ctx.defaultLocale;
  const locales = [...new Set([locale, ctx.defaultLocale])];
  const words = wordsOf(opts.q);
  const corrections = caps.trgm ? await correctTypos(db, words) : [];
  const terms = [...words, ...corrections];
  if (!terms.length) return { hits: [], mode: 'fulltext' };
  // Only letters and digits reach the tsquery text, so its syntax can never be broken by input.
  const orQuery = terms.join(' | ');
  const termText = terms.join(' ');
  const q = opts.q.slice(0, 500);

  const configs = [...new Set(locales.map(searchConfigFor))];
  // Fusion needs the full-text ranking deeper than the page asked for.
  const hybrid = Boolean(ctx.embedder && caps.vector);

  // Cheap first (index match and ts_rank, per language the query parsed once), then the costly parts
  // (snippet, term coverage, title similarity) only for the best few dozen.
  const rows = await sql<Candidate>`
    WITH q AS (
      SELECT c AS cfg, to_tsquery(c::regconfig, ${orQuery}) AS query,
        ARRAY(SELECT DISTINCT unnest(tsvector_to_array(to_tsvector(c::regconfig, ${termText})))) AS lex,
        (SELECT count(DISTINCT l) FROM unnest(tsvector_to_array(to_tsvector(c::regconfig, ${words.join(' ')}))) l)::int AS total
      FROM unnest(${sql.val(configs)}::text[]) c
    ), pool AS (
      -- Candidates by how many of the question's terms they contain, one GIN lookup per term (no
      -- tsvector is read here). At scale an OR over every term matches many thousands of articles; only
      -- the best-covered thousand go on to ts_rank, which reads each one's whole tsvector.
      SELECT t.id, q.cfg, count(*) AS hits
      FROM q
      CROSS JOIN LATERAL unnest(q.lex) AS term(l)
      JOIN kb_translations t ON t.search @@ quote_literal(term.l)::tsquery AND t.search_config::text = q.cfg
      ${opts.categoryId ? sql`JOIN kb_articles ca ON ca.id = t.article_id AND ca.category_id = ${opts.categoryId}` : sql``}
      WHERE t.status = 'published' AND t.locale = ANY(${sql.val(locales)}::text[])
        -- the asked locale's text where it is published, else the default locale's
        AND (t.locale = ${locale} OR NOT EXISTS (
          SELECT 1 FROM kb_translations p WHERE p.article_id = t.article_id AND p.locale = ${locale} AND p.status = 'published'))
      GROUP BY t.id, q.cfg
      ORDER BY hits DESC
      LIMIT ${POOL}
    ), cand AS (
      SELECT t.id AS translation_id, a.id AS article_id, a.slug, a.kind, t.locale, t.title, t.body_text,
             t.search, t.search_config, q.query, q.lex, q.total, ts_rank(t.search, q.query, 1) AS rank
      FROM pool
      JOIN kb_translations t ON t.id = pool.id
      JOIN q ON q.cfg = pool.cfg
      JOIN kb_articles a ON a.id = t.article_id
      ORDER BY rank DESC
      LIMIT ${Math.max(60, limit * 4)}
    )
    , scored AS (
      SELECT cand.*,
        (SELECT count(*) FROM unnest(lex) l WHERE l = ANY(tsvector_to_array(search)))::int AS matched,
        ${caps.trgm ? sql`word_similarity(${q}, title)` : sql`0`}::float8 AS title_sim
      FROM cand
    ), ranked AS (
      -- coverage (share of the question's terms found; a corrected typo counts for its word) + rank + title
      SELECT *, CASE WHEN total > 0 THEN least(1.0, matched::float8 / total) ELSE 0 END AS relevance
      FROM scored
    )
    SELECT translation_id, article_id, slug, kind, locale, title, rank, matched, total, title_sim,
      ts_headline(search_config, body_text, query,
        ${`StartSel=${OPEN}, StopSel=${CLOSE}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`}) AS snippet
    FROM ranked
    ORDER BY 0.5 * relevance + rank + 0.3 * title_sim DESC
    LIMIT ${hybrid ? Math.max(20, limit * 4) : limit}
  `.execute(db);

  const scored = rows.rows.map((r) => {
    // Share of the question's terms the article contains; a corrected typo counts for its word.
    const relevance = r.total > 0 ? Math.min(1, r.matched / r.total) : 0;
    return { r, relevance, score: 0.5 * relevance + Number(r.rank) + 0.3 * Number(r.title_sim) };
  });
  scored.sort((a, b) => b.score - a.score);

  let mode: KbSearchResult['mode'] = 'fulltext';
  let ranked = scored;
  if (hybrid) {
    const fused = await fuseWithVectors(ctx, q, locales, opts.categoryId, scored);
    if (fused) {
      ranked = fused;
      mode = 'hybrid';
    }
  }

  const hits: KbSearchHit[] = ranked.slice(0, limit).map(({ r, relevance, score }) => ({
    articleId: r.article_id,
    slug: r.slug,
    kind: r.kind,
    locale: r.locale,
    title: r.title,
    snippet: highlight(r.snippet),
    url: articlePath(r.locale, r.slug),
    score: Math.round(score * 1000) / 1000,
    relevance: Math.round(relevance * 1000) / 1000,
  }));
  return { hits, mode };
}

function highlight(raw: string): string {
  return escapeUTF8(raw).replaceAll(OPEN, '<mark>').replaceAll(CLOSE, '</mark>');
}

type Scored = { r: Candidate; relevance: number; score: number };

/**
 * Reciprocal-rank fusion (k = 60) of the full-text ranking with cosine similarity over embeddings.
 * Articles only the vectors found join the list; relevance becomes the larger of term coverage and
 * similarity. Returns null when the embedding call fails (full text alone still answers).
 */
async function fuseWithVectors(
  ctx: KbSearchContext,
  q: string,
  locales: string[],
  categoryId: string | undefined,
  scored: Scored[],
): Promise<Scored[] | null> {
  const embedder = ctx.embedder as Embedder;
  let vec: number[];
  try {
    vec = await embedder.embedQuery(q);
  } catch {
    return null;
  }
  const literal = `[${vec.join(',')}]`;
  const rows = await sql<Candidate & { similarity: number }>`
    WITH cand AS (
      SELECT t.id AS translation_id, a.id AS article_id, a.slug, a.kind, t.locale, t.title, t.body_text,
             1 - (e.embedding <=> ${literal}::vector) AS similarity,
             array_position(${sql.val(locales)}::text[], t.locale) AS pref
      FROM kb_embeddings e
      JOIN kb_translations t ON t.id = e.translation_id
      JOIN kb_articles a ON a.id = t.article_id
      WHERE t.status = 'published' AND t.locale = ANY(${sql.val(locales)}::text[]) AND e.model = ${embedder.model}
        ${categoryId ? sql`AND a.category_id = ${categoryId}` : sql``}
    )
    SELECT DISTINCT ON (article_id) translation_id, article_id, slug, kind, locale, title,
      left(body_text, 200) AS snippet, 0::float8 AS rank, 0 AS matched, 0 AS total, 0::float8 AS title_sim, similarity
    FROM cand ORDER BY article_id, pref
  `.execute(ctx.db);
  const byVector = [...rows.rows].sort((a, b) => b.similarity - a.similarity).slice(0, 20);
  const fused = new Map<string, Scored>();
  const K = 60;
  scored.forEach((s, i) => {
    fused.set(s.r.article_id, { ...s, score: 1 / (K + i + 1) });
  });
  byVector.forEach((v, i) => {
    const prev = fused.get(v.article_id);
    const sim = Math.max(0, Number(v.similarity));
    if (prev) {
      prev.score += 1 / (K + i + 1);
      prev.relevance = Math.max(prev.relevance, sim);
    } else {
      fused.set(v.article_id, { r: { ...v, snippet: `${v.snippet}…` }, relevance: sim, score: 1 / (K + i + 1) });
    }
  });
  return [...fused.values()].sort((a, b) => b.score - a.score);
}
