import type { KbSearchHit } from '@autocrm/shared';
import { type ConfidenceFeatures, type KbSearchContext, searchKb } from '../kb/search';
import { mentionsOwnRecord } from './own-record';
import { asksForPerson } from './person-request';

export type ReplyDecision =
  | { action: 'person' }
  | { action: 'answer'; hits: KbSearchHit[]; confidence: number }
  | { action: 'clarify'; hits: KbSearchHit[]; confidence: number }
  | { action: 'handoff'; hits: KbSearchHit[]; confidence: number };

/**
 * At or above: the best article is the answer. Chosen on the evaluation's tuning half only: out-of-scope
 * questions stayed below it while most answerable ones reached it (see bench/kb/eval-kb.ts).
 */
export const ANSWER_AT = 0.35;
/**
 * The bar for an article none of whose title words are in the question: words it shares only with the
 * body ("order", "slow", "charge") are weak evidence, and out-of-scope questions mostly land there.
 * Chosen on the tuning half like ANSWER_AT.
 */
export const ANSWER_UNTITLED_AT = 0.55;
/** At or above (and below ANSWER_AT): ask the customer to say it in other words. Below: a person. */
export const CLARIFY_AT = 0.15;
/** Another article is offered next to the answer only when it scores this close to the best one. */
const CLOSE_SCORE = 0.75;

/**
 * What the bot does with one customer message, from the message alone: a request for a person hands
 * off; otherwise the knowledge base is searched in the customer's language (then the others) and the
 * best hit's calibrated confidence decides between answering, asking which article is meant, and a person.
 */
export async function decideReply(
  kb: KbSearchContext,
  props: { text: string; language: string; kbLocales: string[] },
): Promise<ReplyDecision> {
  if (asksForPerson(props.text)) return { action: 'person' };
  const search = async (loc: string) => {
    const seen: { top?: ConfidenceFeatures | undefined } = {};
    const { hits } = await searchKb(kb, {
      q: props.text.slice(0, 500),
      locale: loc,
      limit: 4,
      // The answer quotes the article's best passage (best-passage.ts), not a search snippet.
      snippets: false,
      onFeatures: (f) => {
        seen.top = f[0];
      },
    });
    const confidence = hits[0]?.relevance ?? 0;
    return { hits, confidence, bar: seen.top?.titleCoverage === 0 ? ANSWER_UNTITLED_AT : ANSWER_AT };
  };
  // The customer's language first; when it has no sure answer, the other languages all at once (the
  // customer waits for the slowest search, not for their sum), taken in order as if one after another.
  const first = await search(props.language);
  const results = [first];
  if (first.confidence < first.bar)
    results.push(...(await Promise.all(props.kbLocales.filter((l) => l !== props.language).map(search))));
  let best: { hits: KbSearchHit[]; confidence: number; bar: number } = { hits: [], confidence: 0, bar: ANSWER_AT };
  for (const r of results) {
    if (r.confidence > best.confidence) best = r;
    if (r.confidence >= r.bar) break;
  }
  const { bar, ...found } = best;
  // About their own order, invoice or payment: only a person can look it up.
  if (mentionsOwnRecord(props.text)) return { action: 'handoff', ...found };
  if (found.confidence >= bar) return { action: 'answer', ...found };
  // Nothing sure enough, but something: "what do you mean?" rather than a guess or a queue.
  if (found.confidence >= CLARIFY_AT) return { action: 'clarify', ...found };
  return { action: 'handoff', ...found };
}

/** The other hits worth offering next to an answer: sure enough themselves and close to the best one's score. */
export function closeOthers(hits: KbSearchHit[], max = 2): KbSearchHit[] {
  const top = hits[0];
  if (!top) return [];
  return hits
    .slice(1)
    .filter((h) => h.relevance >= ANSWER_AT && h.score >= CLOSE_SCORE * top.score)
    .slice(0, max);
}
