import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import type { DbCapabilities } from '../../storage/extensions';
import { isFillerWord } from './filler-words';
import { searchConfigFor } from './search-language';

/**
 * One word of the question and the forms that count for it: the word itself (weight 1), an admin's
 * synonyms or abbreviation expansions, and for a word the knowledge base never uses, its typo
 * correction or German umlaut spelling (weight below 1). An article scores a group by its best form.
 */
export interface TermGroup {
  group: number;
  alt: string;
  weight: number;
}

const TOKEN = /[\p{L}\p{N}]+/gu;
/** Words from two letters: "fb", "2fa", "kb" are real questions. */
export const tokensOf = (text: string) =>
  (text.toLowerCase().match(TOKEN) ?? []).filter((w) => w.length >= 2 && w.length <= 40).slice(0, 32);

/** Below this trigram similarity an unknown word is left alone (tuned on the evaluation's tuning half). */
const TYPO_SIMILARITY = 0.4;
const TYPO_WEIGHT = 0.7;
/** A filler word's weight (filler-words.ts): below 1, so it neither leads the ranking nor counts as coverage. */
export const QUERY_WEIGHTS = {
  filler: 0.3,
  /** A word the knowledge base lacks, matched through a shorter word of its family ("quotation" → "quote"). */
  derived: 0.7,
};

export type TermGroupsProps = { caps: DbCapabilities; q: string; locale: string };

export async function termGroups(db: Db, { caps, ...props }: TermGroupsProps): Promise<TermGroup[]> {
  const tokens = tokensOf(props.q);
  if (!tokens.length) return [];
  const out: TermGroup[] = tokens.map((alt, group) => ({
    group,
    alt,
    weight: isFillerWord(props.locale, alt) ? QUERY_WEIGHTS.filler : 1,
  }));

  // Three independent lookups, at once (each is a round trip the bot's first token waits for).
  const bigrams = tokens.slice(1).map((w, i) => `${tokens[i]} ${w}`);
  const cfg = searchConfigFor(props.locale);
  const [joined, synonyms, known] = await Promise.all([
    // Words written apart that the knowledge base writes as one ("non profit", "e mail", "log in"): the
    // joined word counts as a form of each part.
    joinedForms(db, props.q),
    // Admins' synonyms, both ways: "fb" finds "facebook", and "facebook" finds "fb".
    db
      .selectFrom('kb_synonyms')
      .select(['term', 'synonyms'])
      .where('locale', 'in', [...new Set([props.locale, props.locale.slice(0, 2)])])
      .where((eb) =>
        eb.or([
          eb('term', 'in', [...tokens, ...bigrams]),
          eb(sql<string[]>`synonyms`, '&&', sql<string[]>`${sql.val([...tokens, ...bigrams])}::text[]`),
        ]),
      )
      .execute(),
    // Words the knowledge base does not know (no published text has their stem): typo fallback only for them.
    knownWordsQuery(cfg, tokens).execute(db),
  ]);
  for (const j of joined) for (const group of j.groups) out.push({ group, alt: j.word, weight: 1 });
  for (const s of synonyms) {
    const forms = [s.term, ...s.synonyms];
    tokens.forEach((tok, group) => {
      const bigram = bigrams[group];
      if (forms.includes(tok) || (bigram && forms.includes(bigram)))
        for (const f of forms) if (f !== tok) out.push({ group, alt: f, weight: 1 });
    });
  }

  const unknown = new Set(known.rows.filter((r) => !r.known).map((r) => r.w));
  const covered = new Set(out.filter((o) => o.weight === 1 && o.alt !== tokens[o.group]).map((o) => o.group));
  // Each unknown word's fallback forms, looked up for all of them at once and added in word order; the
  // typo candidates of every such word in one statement, beside the other lookups.
  const needing = [...tokens.entries()].filter(([group, tok]) => unknown.has(tok) && !covered.has(group));
  const typoWords = caps.trgm ? needing.map(([, tok]) => tok).filter(typoCorrectable) : [];
  const typos = typoWords.length ? typoCandidates(db, typoWords) : Promise.resolve(new Map<string, string[]>());
  const [, ...fallbacks] = await Promise.all([
    typos,
    ...needing.map(([group, tok]) => fallbackForms(db, { cfg, locale: props.locale, typos, tok, group, count: tokens.length })),
  ]);
  for (const forms of fallbacks) out.push(...forms);
  return out;
}

/** Which of the words the knowledge base knows (some published text has their stem), one row per word. */
export const knownWordsQuery = (cfg: string, tokens: string[]) =>
  sql<{ w: string; known: boolean }>`
    SELECT w, EXISTS (
      -- primary-key lookups of the word's lexemes (a join let the planner read the language's whole vocabulary)
      SELECT 1 FROM unnest(tsvector_to_array(to_tsvector(${cfg}::regconfig, w))) l
      WHERE (SELECT s.df > 0 FROM kb_term_stats s WHERE s.search_config = ${cfg}::regconfig AND s.lexeme = l)
    ) OR tsvector_to_array(to_tsvector(${cfg}::regconfig, w)) = '{}' AS known
    FROM unnest(${sql.val(tokens)}::text[]) w`;

/** Words the typo fallback tries: long enough for trigrams to mean something, and no numbers ("2fa", "404"). */
const typoCorrectable = (tok: string) => tok.length >= 4 && !/\d/.test(tok);

/** Each word's closest lexicon words, best first (migration 0024: one statement, through the trigram index). */
async function typoCandidates(db: Db, words: string[]): Promise<Map<string, string[]>> {
  const r = await sql<{ query_word: string; lexicon_word: string }>`
    SELECT query_word, lexicon_word FROM kb_typo_candidates(${sql.val([...new Set(words)])}::text[], ${TYPO_SIMILARITY}, 5)`.execute(
    db,
  );
  const out = new Map<string, string[]>();
  for (const row of r.rows) out.set(row.query_word, [...(out.get(row.query_word) ?? []), row.lexicon_word]);
  return out;
}

/** Alternative forms of one word the knowledge base does not know: umlauts spelt out, compound halves, a typo's fix, a shorter stem. */
async function fallbackForms(
  db: Db,
  props: { cfg: string; locale: string; typos: Promise<Map<string, string[]>>; tok: string; group: number; count: number },
): Promise<TermGroup[]> {
  const { cfg, locale, tok, group } = props;
  const out: TermGroup[] = [];
  // German typed without umlauts: "loeschen" is "löschen" (the index is unaccented: "loschen").
  if (locale.startsWith('de') && /ae|oe|ue/.test(tok))
    out.push({ group, alt: tok.replace(/ae/g, 'a').replace(/oe/g, 'o').replace(/ue/g, 'u'), weight: 0.95 });
  // A German compound the articles only use apart ("schulrabatt": "schul" + "rabatt"): both halves count.
  if (locale.startsWith('de') && tok.length >= 8) {
    const parts = await splitCompound(db, tok);
    if (parts) {
      out.push({ group, alt: parts[0], weight: 0.9 });
      out.push({ group: props.count + group, alt: parts[1], weight: 0.9 });
      return out;
    }
  }
  // A typo is a letter or two off; "custom" is not a misspelt "customers", it is a word the KB lacks.
  const hit = (await props.typos).get(tok)?.find((w) => editDistance(w, tok) <= (tok.length <= 5 ? 1 : 2));
  if (hit) {
    out.push({ group, alt: hit, weight: TYPO_WEIGHT });
    return out;
  }
  if (QUERY_WEIGHTS.derived > 0 && tok.length >= 6 && !/\d/.test(tok)) {
    const stem = await shorterStem(db, cfg, tok);
    if (stem) out.push({ group, alt: stem, weight: QUERY_WEIGHTS.derived });
  }
  return out;
}

/** Adjacent words of the question whose concatenation the knowledge base uses, with the groups of their parts. */
async function joinedForms(db: Db, q: string): Promise<{ word: string; groups: number[] }[]> {
  const raw = (q.toLowerCase().match(TOKEN) ?? []).filter((w) => w.length <= 40);
  // The group of each raw word, as tokensOf numbers them (one-letter words have none).
  let next = 0;
  const groupOf = raw.map((w) => (w.length >= 2 && next < 32 ? next++ : -1));
  const pairs = raw.slice(1).map((w, i) => ({
    word: `${raw[i]}${w}`,
    groups: [groupOf[i], groupOf[i + 1]].filter((g) => g !== undefined && g >= 0) as number[],
  }));
  const candidates = pairs.filter((p) => p.groups.length && p.word.length >= 4 && p.word.length <= 30);
  if (!candidates.length) return [];
  const known = await db
    .selectFrom('kb_lexicon')
    .select('word')
    .where('word', 'in', [...new Set(candidates.map((p) => p.word))])
    .execute();
  const words = new Set(known.map((k) => k.word));
  return candidates.filter((p) => words.has(p.word));
}

/** The split of a compound into two words the knowledge base uses (with an optional linking "s"), longest head first. */
async function splitCompound(db: Db, word: string): Promise<[string, string] | null> {
  const r = await sql<{ head: string; tail: string }>`
    SELECT h.word AS head, t.word AS tail
    FROM generate_series(4, length(${word}) - 4) i
    JOIN kb_lexicon h ON h.word = left(${word}, i)
    JOIN kb_lexicon t ON t.word = substr(${word}, i + 1) OR (substr(${word}, i + 1, 1) = 's' AND t.word = substr(${word}, i + 2))
    ORDER BY length(h.word) DESC, length(t.word) DESC LIMIT 1`.execute(db);
  const hit = r.rows[0];
  return hit ? [hit.head, hit.tail] : null;
}

/**
 * The longest stem the knowledge base uses that begins the unknown word's stem and makes up most of it
 * (at least four letters and 60 %): the same word family with another ending ("quotation" → "quot", the
 * stem of "quote"). Snowball strips inflections, not derivations. One indexed lookup per prefix length.
 */
async function shorterStem(db: Db, cfg: string, word: string): Promise<string | null> {
  const r = await sql<{ lexeme: string }>`
    WITH w AS (SELECT l FROM unnest(tsvector_to_array(to_tsvector(${cfg}::regconfig, ${word}))) l LIMIT 1)
    SELECT s.lexeme FROM kb_term_stats s
    WHERE s.search_config = ${cfg}::regconfig AND s.df > 0
      -- an array of the prefixes: primary-key lookups (a join hashed the language's whole vocabulary)
      AND s.lexeme = ANY (ARRAY(SELECT left(w.l, n) FROM w, generate_series(4, length(w.l) - 1) n WHERE n >= 0.6 * length(w.l)))
    ORDER BY length(s.lexeme) DESC LIMIT 1`.execute(db);
  return r.rows[0]?.lexeme ?? null;
}

/** Levenshtein distance with adjacent transpositions counted as one edit (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = d[i] as number[];
    const prev = d[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}
