/** The Snowball languages migration 0006 made `autocrm_<language>` configurations for (kept in step by hand: migrations import no app code and app code imports no migration). */
type SearchLanguage = 'english' | 'german' | 'french' | 'spanish' | 'portuguese' | 'italian' | 'dutch';

const BY_LOCALE: Record<string, SearchLanguage> = {
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
