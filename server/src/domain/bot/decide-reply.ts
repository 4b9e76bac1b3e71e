import type { KbSearchHit } from '@autocrm/shared';
import { type KbSearchContext, searchKb } from '../kb/search';
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
  let best: { hits: KbSearchHit[]; confidence: number } = { hits: [], confidence: 0 };
  for (const loc of [props.language, ...props.kbLocales.filter((l) => l !== props.language)]) {
    const { hits } = await searchKb(kb, { q: props.text.slice(0, 500), locale: loc, limit: 4 });
    const confidence = hits[0]?.relevance ?? 0;
    if (confidence > best.confidence) best = { hits, confidence };
    if (confidence >= ANSWER_AT) break;
  }
  if (best.confidence >= ANSWER_AT) return { action: 'answer', ...best };
  // Nothing sure enough, but something: "what do you mean?" rather than a guess or a queue.
  if (best.confidence >= CLARIFY_AT) return { action: 'clarify', ...best };
  return { action: 'handoff', ...best };
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
