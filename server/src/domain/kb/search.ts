import type { KbSearchHit, KbSearchResult } from '@autocrm/shared';
import { escapeUTF8 } from 'entities';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import type { DbCapabilities } from '../../storage/extensions';
import type { Embedder } from './embeddings';
import { termGroups } from './query-terms';
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
  /** Receives the confidence features of the hits (calibration, bench/kb). */
  onFeatures?: ((f: (ConfidenceFeatures | undefined)[]) => void) | undefined;
  /**
   * False: hits come without a highlighted snippet (empty). The bot answers from the article itself, and
   * ts_headline re-parses each hit's whole body (about 1 ms of a 5 ms search on the sample knowledge base).
   */
  snippets?: boolean | undefined;
}

/** Where an article lives in the help center (relative; clients resolve it against the server). */
export const articlePath = (locale: string, slug: string) => `/help/${locale}/articles/${slug}`;

/** How many candidates (by the summed idf of the terms they contain) are scored in full (read their tsvector). */
const POOL = 60;
// Snippet markers that never occur in article text; the snippet is escaped, then they become <mark>.
const OPEN = '\u27E6';
const CLOSE = '\u27E7';

/** BM25 parameters and boosts, tuned on the evaluation's tuning half only (bench/kb/eval-kb.ts). */
export const RANKING = {
  k1: 1.6,
  b: 0.5,
  /** A title occurrence counts as this many body occurrences (BM25F-style field weight). */
  titleWeight: 3,
  /** Two neighbouring question words found near each other (up to 3 positions apart). */
  proximity: 0.4,
  /** Length normalisation of the title field, against the candidates' mean title length (BM25F's per-field b). */
  titleB: 0.5,
};

interface Candidate {
  translation_id: string;
  article_id: string;
  slug: string;
  kind: 'article' | 'tutorial';
  locale: string;
  title: string;
  snippet: string;
  score: number;
  coverage: number;
  title_coverage: number;
}

/**
 * Ranked search over published articles in the asked locale, falling back to the default locale for
 * articles not translated. BM25 over each language's Snowball-stemmed, unaccented lexemes (document
 * frequencies and lengths kept by the database, see migration 0015): tf saturation, idf, length
 * normalisation, a title field weight, and a bonus for question words that stand close together in
 * the article. Every question word is optional; synonyms and typo fallback add alternative forms of a
 * word (see query-terms.ts). With embeddings, a reciprocal-rank fusion with vector similarity.
 * Each hit's `relevance` is the confidence that it answers the question (see `confidenceOf`).
 */
export async function searchKb(ctx: KbSearchContext, opts: KbSearchOptions): Promise<KbSearchResult> {
  const { db, caps } = ctx;
  const limit = opts.limit ?? 5;
  const locale = opts.locale ?? ctx.defaultLocale;
  const locales = [...new Set([locale, ctx.defaultLocale])];
  const q = opts.q.slice(0, 500);
  const groups = await termGroups(db, { caps, q, locale });
  if (!groups.length) return { hits: [], mode: 'fulltext' };
  const configs = [...new Set(locales.map(searchConfigFor))];
  const hybrid = Boolean(ctx.embedder && caps.vector);
  // Our own constants, written into the statement as literals (a parameter would be typed by its first use).
  const k1 = sql.lit(RANKING.k1);
  const k1p1 = sql.lit(RANKING.k1 + 1);
  const b = sql.lit(RANKING.b);
  const titleWeight = sql.lit(RANKING.titleWeight);
  const proximity = sql.lit(RANKING.proximity);
  const titleB = sql.lit(RANKING.titleB);

  const rows = await sql<Candidate>`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(groups)}::jsonb) AS g("group" int, alt text, weight float8)
    ), ql AS (
      -- each form's lexemes, per language the question is searched in
      SELECT c AS cfg, i."group" AS grp, l AS lexeme, max(i.weight) AS weight
      FROM unnest(${sql.val(configs)}::text[]) c, input i,
        unnest(tsvector_to_array(to_tsvector(c::regconfig, i.alt))) l
      GROUP BY 1, 2, 3
    ), qs AS (
      -- one primary-key lookup per lexeme (LATERAL: never a scan of the whole statistics table)
      SELECT ql.*, s.df, ln(1 + (cs.docs - s.df + 0.5) / (s.df + 0.5)) AS idf, cs.avglen,
        quote_literal(ql.lexeme)::tsquery AS tsq
      FROM ql
      CROSS JOIN LATERAL (SELECT coalesce((SELECT df FROM kb_term_stats
        WHERE search_config = ql.cfg::regconfig AND lexeme = ql.lexeme), 0) AS df) s
      CROSS JOIN LATERAL (SELECT coalesce(max(docs), 0) AS docs, coalesce(max(total_len::float8 / nullif(docs, 0)), 1) AS avglen
        FROM kb_corpus_stats WHERE search_config = ql.cfg::regconfig) cs
    ), gs AS (
      -- a word's weight in the question: the idf of its own form (an unknown word weighs the most)
      SELECT cfg, grp, max(idf) FILTER (WHERE weight = 1) AS gidf FROM qs GROUP BY 1, 2
    ), pool AS (
      -- candidates from the GIN index alone (no tsvector read): by the summed idf of the terms they contain
      -- (LATERAL: one GIN lookup per lexeme, never the match tested against every row)
      SELECT m.id, min(qs.cfg) AS cfg, sum(qs.idf * qs.weight) AS est
      FROM qs
      CROSS JOIN LATERAL (
        SELECT t.id FROM kb_translations t
        ${opts.categoryId ? sql`JOIN kb_articles ca ON ca.id = t.article_id AND ca.category_id = ${opts.categoryId}` : sql``}
        WHERE t.search @@ qs.tsq AND t.search_config::text = qs.cfg
          AND t.status = 'published' AND t.locale = ANY(${sql.val(locales)}::text[])
          -- the asked locale's text where it is published, else the default locale's
          AND (t.locale = ${locale} OR NOT EXISTS (
            SELECT 1 FROM kb_translations p WHERE p.article_id = t.article_id AND p.locale = ${locale} AND p.status = 'published'))
        OFFSET 0 -- keeps the subquery per lexeme (the planner would otherwise test every row against every lexeme)
      ) m
      WHERE qs.df > 0
      -- by id alone: a text has one search configuration (and sorting by a text column costs collation compares)
      GROUP BY m.id
      ORDER BY est DESC
      LIMIT ${POOL}
    ), titles AS (
      -- each candidate's title length (distinct title and keyword lexemes) and their mean: BM25F normalises
      -- the title field on its own, so a question word in a short title counts more than in a long one
      SELECT pool.id, length(ts_filter(t.search, '{a}'))::float8 AS len
      FROM pool JOIN kb_translations t ON t.id = pool.id
    ), title_mean AS MATERIALIZED (
      -- computed once (inlined, it was recomputed for every row of tf)
      SELECT greatest(avg(len), 1)::float8 AS len FROM titles
    ), tf AS (
      -- each candidate's occurrences of each question lexeme, by field (title A, body B)
      SELECT pool.id, u.grp, u.lexeme, u.idf, u.weight, u.avglen, length(t.search) AS len, u.positions,
        (SELECT count(*) FROM unnest(u.weights) w WHERE w = 'A')::float8 AS tf_title,
        (SELECT count(*) FROM unnest(u.weights) w WHERE w <> 'A')::float8 AS tf_body,
        ti.len AS title_len, tm.len AS title_avglen
      FROM pool
      JOIN kb_translations t ON t.id = pool.id
      JOIN titles ti ON ti.id = pool.id
      CROSS JOIN title_mean tm
      -- per candidate, its lexemes matched to the question's (OFFSET 0 keeps it per candidate: joined
      -- outside, the planner paired every question lexeme with every candidate before matching text)
      CROSS JOIN LATERAL (
        SELECT qs.grp, qs.lexeme, qs.idf, qs.weight, qs.avglen, v.positions, v.weights
        FROM unnest(t.search) v JOIN qs ON qs.lexeme = v.lexeme
        WHERE qs.cfg = pool.cfg
        OFFSET 0
      ) u
    ), lex AS (
      SELECT tf.*, ${titleWeight} * tf_title / (1 - ${titleB} + ${titleB} * title_len / title_avglen) + tf_body AS tfw FROM tf
    ), per_group AS (
      SELECT id, grp, max(weight * idf * (tfw * ${k1p1}) / (tfw + ${k1} * (1 - ${b} + ${b} * len / avglen))) AS s,
        max(weight) AS matched_weight, bool_or(tf_title > 0) AS in_title
      FROM lex GROUP BY id, grp
    ), near AS (
      -- neighbouring question words (at most one word apart in the question) close together in the text
      SELECT a.id, count(DISTINCT (a.grp, b.grp)) AS pairs, sum(DISTINCT least(a.idf, b.idf)) AS idf
      FROM lex a JOIN lex b ON b.id = a.id AND b.grp > a.grp AND b.grp <= a.grp + 2
      WHERE EXISTS (SELECT 1 FROM unnest(a.positions) p1, unnest(b.positions) p2 WHERE p2 - p1 BETWEEN 1 AND 3)
      GROUP BY a.id
    ), scored AS (
      SELECT pool.id, pool.cfg,
        sum(pg.s) + coalesce(max(near.idf), 0) * ${proximity} AS score,
        sum(pg.matched_weight * gs.gidf) AS matched_idf,
        sum(gs.gidf) FILTER (WHERE pg.in_title) AS title_idf
      FROM pool
      JOIN per_group pg ON pg.id = pool.id
      JOIN gs ON gs.cfg = pool.cfg AND gs.grp = pg.grp
      LEFT JOIN near ON near.id = pool.id
      GROUP BY pool.id, pool.cfg
      ORDER BY score DESC
      LIMIT ${hybrid ? Math.max(20, limit * 4) : limit}
    ), total AS (
      SELECT cfg, sum(gidf) AS idf FROM gs GROUP BY cfg
    )
    SELECT t.id AS translation_id, a.id AS article_id, a.slug, a.kind, t.locale, t.title, sc.score::float8 AS score,
      (sc.matched_idf / nullif(total.idf, 0))::float8 AS coverage,
      coalesce(sc.title_idf / nullif(total.idf, 0), 0)::float8 AS title_coverage,
      ${
        opts.snippets === false
          ? sql`''`
          : sql`ts_headline(t.search_config, t.body_text,
        (SELECT string_agg(quote_literal(lexeme), ' | ')::tsquery FROM qs WHERE qs.cfg = sc.cfg),
        ${`StartSel=${OPEN}, StopSel=${CLOSE}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`})`
      } AS snippet
    FROM scored sc
    JOIN kb_translations t ON t.id = sc.id
    JOIN kb_articles a ON a.id = t.article_id
    JOIN total ON total.cfg = sc.cfg
    ORDER BY sc.score DESC, a.slug
  `.execute(db);

  const top = Number(rows.rows[0]?.score ?? 0);
  const second = Number(rows.rows[1]?.score ?? 0);
  const scored = rows.rows.map((r, i) => {
    const features: ConfidenceFeatures = {
      coverage: Number(r.coverage ?? 0),
      titleCoverage: Number(r.title_coverage ?? 0),
      margin: i === 0 && top > 0 ? (top - second) / top : 0,
      ofTop: top > 0 ? Number(r.score) / top : 0,
      score: Number(r.score),
    };
    return { r, relevance: confidenceOf(features), score: Number(r.score), features };
  });

  let mode: KbSearchResult['mode'] = 'fulltext';
  let ranked: Scored[] = scored;
  if (hybrid) {
    const fused = await fuseWithVectors(ctx, q, locales, opts.categoryId, scored);
    if (fused) {
      ranked = fused;
      mode = 'hybrid';
    }
  }

  if (opts.onFeatures) opts.onFeatures(ranked.slice(0, limit).map((x) => x.features));
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

/**
 * 0..1: how sure we are that a hit answers the question. The idf-weighted share of the question's
 * words the article contains (an unknown word weighs the most, so "order pizza" is not an answer about
 * orders), raised when they are in its title, and for the best hit when it stands clear of the
 * runner-up. Calibrated on the evaluation's tuning half (decide-reply.ts holds the thresholds).
 */
export interface ConfidenceFeatures {
  coverage: number;
  titleCoverage: number;
  margin: number;
  ofTop: number;
  score: number;
}

export function confidenceOf(f: ConfidenceFeatures): number {
  // A clear lead only counts for a hit that covers a good part of the question.
  const c = 0.7 * f.coverage + 0.2 * f.titleCoverage + 0.1 * Math.min(1, f.margin * 2) * Math.min(1, f.coverage * 2);
  return Math.max(0, Math.min(1, c * (0.5 + 0.5 * f.ofTop)));
}

function highlight(raw: string): string {
  return escapeUTF8(raw).replaceAll(OPEN, '<mark>').replaceAll(CLOSE, '</mark>');
}

type Scored = { r: Candidate; relevance: number; score: number; features?: ConfidenceFeatures };

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
      left(body_text, 200) AS snippet, 0::float8 AS score, 0::float8 AS coverage, 0::float8 AS title_coverage, similarity
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
