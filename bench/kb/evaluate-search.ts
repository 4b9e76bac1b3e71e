import { EVAL_QUESTIONS } from '../../db/kb-sample/eval-questions';
import type { EvalQuestion } from '../../db/kb-sample/types';
import { type KbSearchContext, searchKb } from '../../server/src/domain/kb/search';

export interface EvalResult {
  questions: number;
  hitAt1: number;
  hitAt3: number;
  byLocale: Record<string, { questions: number; hitAt1: number; hitAt3: number }>;
  misses: { question: string; locale: string; expect: string; got: string[] }[];
  msPerQuery: number;
}

/** Search relevance on the sample knowledge base: for each question, is the right article first, or in the top three? */
export async function evaluateSearch(ctx: KbSearchContext, questions: EvalQuestion[] = EVAL_QUESTIONS): Promise<EvalResult> {
  let h1 = 0;
  let h3 = 0;
  const byLocale: EvalResult['byLocale'] = {};
  const misses: EvalResult['misses'] = [];
  const start = performance.now();
  for (const q of questions) {
    const { hits } = await searchKb(ctx, { q: q.question, locale: q.locale, limit: 3 });
    const slugs = hits.map((h) => h.slug);
    const at1 = slugs[0] === q.expect;
    const at3 = slugs.includes(q.expect);
    const l = byLocale[q.locale] ?? { questions: 0, hitAt1: 0, hitAt3: 0 };
    byLocale[q.locale] = l;
    l.questions++;
    if (at1) {
      h1++;
      l.hitAt1++;
    }
    if (at3) {
      h3++;
      l.hitAt3++;
    } else misses.push({ question: q.question, locale: q.locale, expect: q.expect, got: slugs });
  }
  const n = questions.length;
  for (const l of Object.values(byLocale)) {
    l.hitAt1 /= l.questions;
    l.hitAt3 /= l.questions;
  }
  return { questions: n, hitAt1: h1 / n, hitAt3: h3 / n, byLocale, misses, msPerQuery: (performance.now() - start) / n };
}
