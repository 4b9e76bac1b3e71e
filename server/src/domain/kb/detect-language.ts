import { franc } from 'franc-min';

// franc speaks ISO 639-3; our locales are ISO 639-1.
const TO_639_1: Record<string, string> = {
  eng: 'en',
  deu: 'de',
  fra: 'fr',
  spa: 'es',
  por: 'pt',
  ita: 'it',
  nld: 'nl',
  jpn: 'ja',
  arb: 'ar',
};
const TO_639_3 = Object.fromEntries(Object.entries(TO_639_1).map(([k, v]) => [v, k]));

// Function words decide short messages, where letter statistics (franc) guess wildly.
const FUNCTION_WORDS: Record<string, string[]> = {
  en: 'the a an i my me you your how do does what where when why can is are to of for and it with not please this that'.split(
    ' ',
  ),
  de: 'der die das ich mein meine meinen sie ihr wie kann ist sind zu mit und nicht bitte ein eine einen was wo wann warum habe für auf'.split(
    ' ',
  ),
  fr: 'le la les je mon ma mes vous votre comment est sont pour et avec ne pas une un que quoi où'.split(' '),
  es: 'el la los las yo mi mis usted su cómo como es son para y con no por favor una un que qué dónde'.split(' '),
  pt: 'o a os as eu meu minha você seu como é são para e com não por favor uma um que onde'.split(' '),
};

function byFunctionWords(text: string, candidates: string[]): string | undefined {
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  const scores = candidates
    .map((l) => {
      const list = new Set(FUNCTION_WORDS[l.slice(0, 2)] ?? []);
      return { l, n: words.filter((w) => list.has(w)).length };
    })
    .sort((a, b) => b.n - a.n);
  const [first, second] = scores;
  if (first && first.n > 0 && first.n > (second?.n ?? 0)) return first.l;
  return undefined;
}

export type DetectLanguageProps = { text: string; candidates: string[]; fallback: string };

/**
 * The language of a customer's message, chosen among the locales the knowledge base has. Short
 * messages say too little ("ok", "hi"): then the conversation's known locale wins, else the default.
 */
export function detectLanguage({ text, candidates, fallback }: DetectLanguageProps): string {
  const byWords = byFunctionWords(text, candidates);
  if (byWords) return byWords;
  const only = candidates.map((l) => TO_639_3[l.slice(0, 2)]).filter((c): c is string => Boolean(c));
  if (only.length < 2) return candidates[0] ?? fallback;
  const code = franc(text, { only, minLength: 25 });
  return TO_639_1[code] ?? fallback;
}
