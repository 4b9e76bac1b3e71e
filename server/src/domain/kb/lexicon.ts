import type { Db } from '../../storage/db';

const WORD = /[\p{L}][\p{L}\p{N}]{1,29}/gu;

/** Lower-cased words of a text, deduplicated: the vocabulary typo correction maps unknown words onto. */
export function wordsOf(text: string): string[] {
  return [...new Set((text.toLowerCase().match(WORD) ?? []).filter((w) => w.length >= 2))];
}

export async function addToLexicon(trx: Db, text: string): Promise<void> {
  const words = wordsOf(text);
  if (!words.length) return;
  await trx
    .insertInto('kb_lexicon')
    .values(words.map((word) => ({ word })))
    .onConflict((oc) => oc.column('word').doNothing())
    .execute();
}
