import { format, type HelpStrings as HelpCatalogue, stringsFor } from '@autocrm/shared/strings';

// The public help center's own words (its chrome, not the articles) come from the shared catalogue
// (shared/src/strings/<lang>.ts), every language the widget speaks; English for the others. The
// counted and quoted ones are functions here so the pages call them as before.
type Counted = 'resultsFor' | 'articleCount' | 'articleCountOne' | 'seeAll' | 'step';
export type HelpStrings = Omit<HelpCatalogue, Counted> & {
  resultsFor: (q: string) => string;
  articleCount: (n: number) => string;
  seeAll: (n: number) => string;
  step: (n: number) => string;
};

/** The strings for a locale such as `de` or `pt-BR` (by its language), English when there are none. */
export function helpStrings(locale: string): HelpStrings {
  const { resultsFor, articleCount, articleCountOne, seeAll, step, ...plain } = stringsFor('help', locale);
  return {
    ...plain,
    resultsFor: (q) => format(resultsFor, { q }),
    articleCount: (n) => (n === 1 ? articleCountOne : format(articleCount, { n })),
    seeAll: (n) => format(seeAll, { n }),
    step: (n) => format(step, { n }),
  };
}

/** A locale's name in its own language ("Deutsch"), for the language switcher. */
export function localeName(locale: string): string {
  try {
    const name = new Intl.DisplayNames([locale], { type: 'language' }).of(locale);
    return name ? name.charAt(0).toLocaleUpperCase(locale) + name.slice(1) : locale;
  } catch {
    return locale;
  }
}

/** A date as the locale writes it ("3 March 2025"). */
export function formatDate(iso: string, locale: string): string {
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(new Date(iso));
  } catch {
    return iso.slice(0, 10);
  }
}
