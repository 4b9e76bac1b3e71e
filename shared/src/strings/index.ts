// The one catalogue of customer-facing strings: the widget, the help center, the bot and the hand-off,
// one file per language. The widget imports only ./en (English is built into its script) and fetches
// the others as JSON the build writes from this catalogue; web and server import this index.
import * as ar from './ar';
import * as de from './de';
import * as en from './en';
import * as es from './es';
import * as fr from './fr';
import * as ja from './ja';
import * as pt from './pt';

export type { AccountMailStrings, BotStrings, HelpStrings, PortalStrings, WidgetStrings } from './en';
export { format } from './format';

/** Every language we speak to customers in; English first, the fallback. */
export const LANGUAGES = ['en', 'de', 'fr', 'es', 'pt', 'ja', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];
export const RTL_LANGUAGES: readonly Language[] = ['ar'];

export const CATALOGUE: Record<Language, typeof en> = { en, de, fr, es, pt, ja, ar };
export type Area = keyof typeof en;

/** A language tag such as `pt-BR`, `ja` or `xx` as one of ours: by its language, else English. */
export function languageOf(tag: string | null | undefined): Language {
  const lang = (tag ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  return (LANGUAGES as readonly string[]).includes(lang) ? (lang as Language) : 'en';
}

/** One area's strings (widget, help, bot) in a language, English for a language we do not speak. */
export function stringsFor<A extends Area>(area: A, tag: string | null | undefined): (typeof en)[A] {
  return CATALOGUE[languageOf(tag)][area];
}
