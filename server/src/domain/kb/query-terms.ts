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

  const bigrams = tokens.slice(1).map((w, i) => `${tokens[i]} ${w}`);
  const cfg = searchConfigFor(props.locale);
  const joinable = joinCandidates(props.q);
  // Everything the question's words need from the knowledge base, in one statement (each statement is
  // a round trip the bot's first token waits for, and under load a pooled connection it queues for).
  const { rows } = await questionLookupsQuery({
    cfg,
    tokens,
    joined: [...new Set(joinable.map((p) => p.word))],
    synonymLocales: [...new Set([props.locale, props.locale.slice(0, 2)])],
    synonymWords: [...tokens, ...bigrams],
    typos: caps.trgm,
  }).execute(db);
  const known = new Set(rows.filter((r) => r.kind === 'known' && r.known).map((r) => r.word));
  // Words written apart that the knowledge base writes as one ("non profit", "e mail", "log in"): the
  // joined word counts as a form of each part.
  const lexiconWords = new Set(rows.filter((r) => r.kind === 'joined').map((r) => r.word));
  for (const j of joinable)
    if (lexiconWords.has(j.word)) for (const group of j.groups) out.push({ group, alt: j.word, weight: 1 });
  // Admins' synonyms, both ways: "fb" finds "facebook", and "facebook" finds "fb".
  for (const s of rows.filter((r) => r.kind === 'synonym')) {
    const forms = [s.word, ...(s.forms ?? [])];
    tokens.forEach((tok, group) => {
      const bigram = bigrams[group];
      if (forms.includes(tok) || (bigram && forms.includes(bigram)))
        for (const f of forms) if (f !== tok) out.push({ group, alt: f, weight: 1 });
    });
  }
  // Each unknown word's closest lexicon words, best first (the function's order, kept by its ordinality).
  const typos = new Map<string, string[]>();
  for (const r of rows.filter((x) => x.kind === 'typo').sort((a, b) => Number(a.n) - Number(b.n)))
    typos.set(r.word, [...(typos.get(r.word) ?? []), ...(r.forms ?? [])]);

  // Words the knowledge base does not know (no published text has their stem) get fallback forms, added
  // in word order, unless a synonym already stands for them.
  const covered = new Set(out.filter((o) => o.weight === 1 && o.alt !== tokens[o.group]).map((o) => o.group));
  const needing = [...tokens.entries()].filter(([group, tok]) => !known.has(tok) && !covered.has(group));
  const fallbacks = await Promise.all(
    needing.map(([group, tok]) => fallbackForms(db, { cfg, locale: props.locale, typos, tok, group, count: tokens.length })),
  );
  for (const forms of fallbacks) out.push(...forms);
  return out;
}

/**
 * One statement for what a question's words need: which of them the knowledge base knows (some published
 * text has their stem), which joined pairs it uses as one word, the admins' synonyms that mention them,
 * and (with pg_trgm) each unknown word's closest lexicon words (migration 0024, through the trigram index).
 * Rows: `known` (word, known), `joined` (word), `synonym` (word = term, forms = synonyms), `typo`
 * (word = the unknown word, forms = [candidate], n = rank).
 */
export const questionLookupsQuery = (p: {
  cfg: string;
  tokens: string[];
  joined: string[];
  synonymLocales: string[];
  synonymWords: string[];
  typos: boolean;
}) =>
  sql<{
    kind: 'known' | 'joined' | 'synonym' | 'typo';
    word: string;
    forms: string[] | null;
    known: boolean | null;
    n: number | null;
  }>`
    WITH known AS (
      SELECT w, EXISTS (
        -- primary-key lookups of the word's lexemes (a join let the planner read the language's whole vocabulary)
        SELECT 1 FROM unnest(tsvector_to_array(to_tsvector(${p.cfg}::regconfig, w))) l
        WHERE (SELECT s.df > 0 FROM kb_term_stats s WHERE s.search_config = ${p.cfg}::regconfig AND s.lexeme = l)
      ) OR tsvector_to_array(to_tsvector(${p.cfg}::regconfig, w)) = '{}' AS known
      FROM unnest(${sql.val(p.tokens)}::text[]) w
    )
    SELECT 'known' AS kind, w AS word, NULL::text[] AS forms, known, NULL::int AS n FROM known
    UNION ALL
    SELECT 'joined', word, NULL, NULL, NULL FROM kb_lexicon WHERE word = ANY(${sql.val(p.joined)}::text[])
    UNION ALL
    SELECT 'synonym', term, synonyms, NULL, NULL FROM kb_synonyms
    WHERE locale = ANY(${sql.val(p.synonymLocales)}::text[])
      AND (term = ANY(${sql.val(p.synonymWords)}::text[]) OR synonyms && ${sql.val(p.synonymWords)}::text[])
    ${
      p.typos
        ? sql`UNION ALL
    -- typo candidates only for words long enough for trigrams to mean something, and no numbers ("2fa", "404")
    SELECT 'typo', t.query_word, ARRAY[t.lexicon_word], NULL, t.n::int FROM kb_typo_candidates(
      ARRAY(SELECT w FROM known WHERE NOT known AND length(w) >= 4 AND w !~ '[0-9]'), ${TYPO_SIMILARITY}, 5
    ) WITH ORDINALITY AS t(query_word, lexicon_word, score, n)`
        : sql``
    }`;

/** Alternative forms of one word the knowledge base does not know: umlauts spelt out, compound halves, a typo's fix, a shorter stem. */
async function fallbackForms(
  db: Db,
  props: { cfg: string; locale: string; typos: Map<string, string[]>; tok: string; group: number; count: number },
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
  const hit = props.typos.get(tok)?.find((w) => editDistance(w, tok) <= (tok.length <= 5 ? 1 : 2));
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

/** Adjacent words of the question written together (the knowledge base may use them as one word), with the groups of their parts. */
function joinCandidates(q: string): { word: string; groups: number[] }[] {
  const raw = (q.toLowerCase().match(TOKEN) ?? []).filter((w) => w.length <= 40);
  // The group of each raw word, as tokensOf numbers them (one-letter words have none).
  let next = 0;
  const groupOf = raw.map((w) => (w.length >= 2 && next < 32 ? next++ : -1));
  const pairs = raw.slice(1).map((w, i) => ({
    word: `${raw[i]}${w}`,
    groups: [groupOf[i], groupOf[i + 1]].filter((g) => g !== undefined && g >= 0) as number[],
  }));
  return pairs.filter((p) => p.groups.length && p.word.length >= 4 && p.word.length <= 30);
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
