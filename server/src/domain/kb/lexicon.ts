import { sql } from 'kysely';
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

/**
 * For each query word the articles never use, the closest word they do use (pg_trgm similarity), so
 * "pasword" also searches "password". Words already known are left alone. Needs pg_trgm.
 */
export async function correctTypos(db: Db, words: string[]): Promise<string[]> {
  const candidates = words.filter((w) => w.length >= 4);
  if (!candidates.length) return [];
  const known = await db.selectFrom('kb_lexicon').select('word').where('word', 'in', candidates).execute();
  const knownSet = new Set(known.map((k) => k.word));
  const unknown = candidates.filter((w) => !knownSet.has(w));
  const out: string[] = [];
  for (const w of unknown) {
    const r = await sql<{ word: string }>`
      SELECT word FROM kb_lexicon
      WHERE word % ${w} AND similarity(word, ${w}) >= 0.4
      ORDER BY similarity(word, ${w}) DESC, word LIMIT 1`.execute(db);
    if (r.rows[0]) out.push(r.rows[0].word);
  }
  return out;
}
