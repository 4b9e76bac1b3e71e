import { sql } from 'kysely';
import { type Half, OUT_OF_SCOPE_CASES, PERSON_CASES, SEARCH_CASES, type SearchCase, splitOf } from '../../db/kb-sample/eval-set';
import { decideReply } from '../../server/src/domain/bot/decide-reply';
import { type KbSearchContext, searchKb } from '../../server/src/domain/kb/search';
import { searchConfigFor } from '../../server/src/domain/kb/search-language';

export interface SearchFigures {
  questions: number;
  hitAt1: number;
  hitAt3: number;
  hitAt5: number;
  mrrAt10: number;
  misses: { question: string; locale: string; expect: string; got: string[] }[];
  msPerQuery: number;
}

export interface BotFigures {
  answerable: number;
  /** Share of answerable questions whose first offered article is the right one. */
  firstArticleRight: number;
  /** Share of answerable questions the bot handed to a person instead. */
  handoffOnAnswerable: number;
  outOfScope: number;
  /** Share of out-of-scope questions where the bot offered an article anyway. */
  wrongArticleOnOutOfScope: number;
  /** Per language: share of requests for a person that handed off. */
  personRecall: Record<string, { asked: number; recall: number; missed: string[] }>;
  outOfScopeOffered: { question: string; got: string }[];
}

type Ranker = (c: SearchCase) => Promise<string[]>;

export const inHalf = (half: Half | 'all') => (c: { question: string }) => half === 'all' || splitOf(c.question) === half;

/** hit@k and MRR@10 of one ranking over the questions of one half. */
export async function scoreSearch(rank: Ranker, half: Half | 'all'): Promise<SearchFigures> {
  const cases = SEARCH_CASES.filter(inHalf(half));
  let h1 = 0;
  let h3 = 0;
  let h5 = 0;
  let rr = 0;
  const misses: SearchFigures['misses'] = [];
  const start = performance.now();
  for (const c of cases) {
    const slugs = await rank(c);
    const at = slugs.indexOf(c.expect);
    if (at === 0) h1++;
    if (at >= 0 && at < 3) h3++;
    if (at >= 0 && at < 5) h5++;
    if (at >= 0 && at < 10) rr += 1 / (at + 1);
    if (at !== 0) misses.push({ question: c.question, locale: c.locale, expect: c.expect, got: slugs.slice(0, 3) });
  }
  const n = cases.length;
  return {
    questions: n,
    hitAt1: h1 / n,
    hitAt3: h3 / n,
    hitAt5: h5 / n,
    mrrAt10: rr / n,
    misses,
    msPerQuery: (performance.now() - start) / n,
  };
}

/** The product's search, as `GET /kb/search` runs it. */
export const productRanker =
  (ctx: KbSearchContext): Ranker =>
  async (c) =>
    (await searchKb(ctx, { q: c.question, locale: c.locale, limit: 10 })).hits.map((h) => h.slug);

/** The naive baseline the issue measured against: OR of the stemmed terms, ts_rank, title A, body B. */
export const baselineRanker =
  (ctx: KbSearchContext): Ranker =>
  async (c) => {
    const words = c.question.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    if (!words.length) return [];
    const cfg = searchConfigFor(c.locale);
    const r = await sql<{ slug: string }>`
      WITH q AS (SELECT to_tsquery(${cfg}::regconfig, ${words.join(' | ')}) AS query)
      SELECT a.slug FROM kb_translations t JOIN kb_articles a ON a.id = t.article_id, q
      WHERE t.status = 'published' AND t.locale = ${c.locale} AND t.search @@ q.query
      ORDER BY ts_rank(t.search, q.query) DESC, a.slug LIMIT 10`.execute(ctx.db);
    return r.rows.map((x) => x.slug);
  };

/** The no-LLM bot's decision on every question of one half (person requests are not split: all count). */
export async function scoreBot(ctx: KbSearchContext, half: Half | 'all', kbLocales: string[]): Promise<BotFigures> {
  const answerable = SEARCH_CASES.filter(inHalf(half));
  let right = 0;
  let handedOff = 0;
  for (const c of answerable) {
    const d = await decideReply(ctx, { text: c.question, language: c.locale, kbLocales });
    // A clarifying question offers no article; only an answer does.
    if (d.action === 'answer') {
      if (d.hits[0]?.slug === c.expect) right++;
    } else if (d.action === 'person' || d.action === 'handoff') handedOff++;
  }
  const oos = OUT_OF_SCOPE_CASES.filter(inHalf(half));
  const outOfScopeOffered: BotFigures['outOfScopeOffered'] = [];
  for (const c of oos) {
    const d = await decideReply(ctx, { text: c.question, language: c.locale, kbLocales });
    if (d.action === 'answer') outOfScopeOffered.push({ question: c.question, got: `${d.action} ${d.hits[0]?.slug}` });
  }
  const personRecall: BotFigures['personRecall'] = {};
  for (const c of PERSON_CASES) {
    const d = await decideReply(ctx, { text: c.question, language: c.locale, kbLocales });
    const p = personRecall[c.locale] ?? { asked: 0, recall: 0, missed: [] };
    personRecall[c.locale] = p;
    p.asked++;
    if (d.action === 'person') p.recall++;
    else p.missed.push(c.question);
  }
  for (const p of Object.values(personRecall)) p.recall /= p.asked;
  return {
    answerable: answerable.length,
    firstArticleRight: right / answerable.length,
    handoffOnAnswerable: handedOff / answerable.length,
    outOfScope: oos.length,
    wrongArticleOnOutOfScope: outOfScopeOffered.length / oos.length,
    personRecall,
    outOfScopeOffered,
  };
}
