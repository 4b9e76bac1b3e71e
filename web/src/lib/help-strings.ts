/**
 * The public help center's own words (its chrome, not the articles), per locale. A new language is a
 * copy of `en` with the same keys (the type checks that none is missing); other locales get English.
 */
const en = {
  helpCenter: 'Help center',
  tagline: 'How can we help?',
  homeDescription: 'Answers, guides and step-by-step tutorials.',
  skipToContent: 'Skip to content',
  search: 'Search',
  searchLabel: 'Search the help center',
  searchPlaceholder: 'Search for answers…',
  searchTitle: 'Search',
  resultsFor: (q: string) => `Results for “${q}”`,
  noResults: 'No articles match your search. Try other words, or browse the categories below.',
  enterQuery: 'Type a few words to search the help center.',
  categories: 'Categories',
  otherArticles: 'More articles',
  articleCount: (n: number) => (n === 1 ? '1 article' : `${n} articles`),
  seeAll: (n: number) => `See all ${n} articles`,
  noArticles: 'There are no articles here yet.',
  breadcrumb: 'Breadcrumb',
  language: 'Language',
  updated: 'Updated',
  tutorial: 'Tutorial',
  notInLocale: 'This article is not available in your language yet, so it is shown in',
  wasHelpful: 'Was this helpful?',
  didSolve: 'Did this solve it?',
  yes: 'Yes',
  no: 'No',
  thanks: 'Thanks for your feedback!',
  commentLabel: 'What was missing or unclear? (optional)',
  sendComment: 'Send',
  commentThanks: 'Thank you, we will use this to improve the article.',
  feedbackFailed: 'Your feedback could not be saved. Please try again.',
  stillNeedHelp: 'Still need help?',
  chatWithUs: 'Chat with us',
  contactTitle: 'Still need help?',
  contactText: 'Our support team is happy to help. Start a chat from the chat button on our website and a person will answer.',
  step: (n: number) => `Step ${n}`,
  next: 'Next',
  back: 'Back',
  backToStart: 'Back to start',
  stepsLabel: 'Tutorial steps',
  notFoundTitle: 'Page not found',
  notFoundText: 'We could not find that page. It may have moved, or the link may be wrong.',
  errorTitle: 'Something went wrong',
  errorText: 'The help center could not load this page. Please try again in a moment.',
  backToHelp: 'Back to the help center',
  poweredBy: 'Help center powered by AutoCRM',
};
export type HelpStrings = typeof en;

const de: HelpStrings = {
  helpCenter: 'Hilfe-Center',
  tagline: 'Wie können wir helfen?',
  homeDescription: 'Antworten, Anleitungen und Schritt-für-Schritt-Tutorials.',
  skipToContent: 'Zum Inhalt springen',
  search: 'Suchen',
  searchLabel: 'Hilfe-Center durchsuchen',
  searchPlaceholder: 'Antworten suchen…',
  searchTitle: 'Suche',
  resultsFor: (q) => `Ergebnisse für „${q}“`,
  noResults: 'Keine Artikel gefunden. Versuchen Sie andere Wörter oder stöbern Sie in den Kategorien.',
  enterQuery: 'Geben Sie ein paar Wörter ein, um das Hilfe-Center zu durchsuchen.',
  categories: 'Kategorien',
  otherArticles: 'Weitere Artikel',
  articleCount: (n) => (n === 1 ? '1 Artikel' : `${n} Artikel`),
  seeAll: (n) => `Alle ${n} Artikel anzeigen`,
  noArticles: 'Hier gibt es noch keine Artikel.',
  breadcrumb: 'Brotkrumennavigation',
  language: 'Sprache',
  updated: 'Aktualisiert',
  tutorial: 'Tutorial',
  notInLocale: 'Dieser Artikel ist noch nicht in Ihrer Sprache verfügbar und wird daher angezeigt auf',
  wasHelpful: 'War das hilfreich?',
  didSolve: 'Hat das Ihr Problem gelöst?',
  yes: 'Ja',
  no: 'Nein',
  thanks: 'Danke für Ihr Feedback!',
  commentLabel: 'Was hat gefehlt oder war unklar? (optional)',
  sendComment: 'Senden',
  commentThanks: 'Vielen Dank, wir verbessern den Artikel damit.',
  feedbackFailed: 'Ihr Feedback konnte nicht gespeichert werden. Bitte versuchen Sie es erneut.',
  stillNeedHelp: 'Brauchen Sie weitere Hilfe?',
  chatWithUs: 'Chatten Sie mit uns',
  contactTitle: 'Brauchen Sie weitere Hilfe?',
  contactText:
    'Unser Support-Team hilft gern. Starten Sie einen Chat über die Chat-Schaltfläche auf unserer Website, und ein Mensch antwortet Ihnen.',
  step: (n) => `Schritt ${n}`,
  next: 'Weiter',
  back: 'Zurück',
  backToStart: 'Zurück zum Anfang',
  stepsLabel: 'Tutorial-Schritte',
  notFoundTitle: 'Seite nicht gefunden',
  notFoundText: 'Diese Seite gibt es nicht. Vielleicht wurde sie verschoben, oder der Link ist falsch.',
  errorTitle: 'Etwas ist schiefgelaufen',
  errorText: 'Das Hilfe-Center konnte diese Seite nicht laden. Bitte versuchen Sie es gleich noch einmal.',
  backToHelp: 'Zurück zum Hilfe-Center',
  poweredBy: 'Hilfe-Center mit AutoCRM',
};

const BY_LOCALE: Record<string, HelpStrings> = { en, de };

/** The strings for a locale such as `de` or `pt-BR` (by its language), English when there are none. */
export function helpStrings(locale: string): HelpStrings {
  return BY_LOCALE[locale] ?? BY_LOCALE[locale.split('-')[0] ?? ''] ?? en;
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
