import type { SEARCH_LANGUAGES } from '../../../../db/migrations/0006_knowledge_base';

const BY_LOCALE: Record<string, (typeof SEARCH_LANGUAGES)[number]> = {
  en: 'english',
  de: 'german',
  fr: 'french',
  es: 'spanish',
  pt: 'portuguese',
  it: 'italian',
  nl: 'dutch',
};

/** The text search configuration (created by 0006) for a locale: stemmed where Postgres has a stemmer. */
export function searchConfigFor(locale: string): string {
  const lang = BY_LOCALE[locale.slice(0, 2)];
  return `autocrm_${lang ?? 'simple'}`;
}
