/** The widget's strings, from the shared catalogue. Pure: no DOM, unit-tested in Node. */
import { widget as en, type WidgetStrings } from '@autocrm/shared/strings/en';
import { format } from '@autocrm/shared/strings/format';

// Only English is imported here (built into the script); importing the catalogue's index would bundle
// every language. The build writes the others to dist/i18n/<lang>.json from the same catalogue.
export { en };
export type Strings = WidgetStrings;

/** Languages the widget speaks (the catalogue's LANGUAGES; tests/strings-catalogue.test.ts keeps them equal). */
export const LOCALES = ['en', 'de', 'fr', 'es', 'pt', 'ja', 'ar'];
const RTL = new Set(['ar']);
const loaded: Record<string, Partial<Strings>> = { en };

/**
 * The boot option wins, then the browser's languages in order; a region falls back to its language
 * (pt-BR -> pt); English when nothing matches.
 */
export function pickLocale(requested: string | undefined | null, browser: readonly string[] = []): string {
  for (const tag of [requested, ...browser]) {
    if (!tag) continue;
    const lang = tag.toLowerCase().split(/[-_]/)[0] ?? '';
    if (LOCALES.includes(lang)) return lang;
  }
  return 'en';
}

export const isRtl = (locale: string) => RTL.has(locale);

/** Makes a language's strings available (the fetched file, or a test's import of dictionaries.ts). */
export function registerDictionary(locale: string, strings: Partial<Strings>): void {
  loaded[locale] = strings;
}

/**
 * Fetches a language's strings from the widget's server once (dist/i18n/<lang>.json). Until it arrives,
 * or if it cannot be had, the widget speaks English: a missing string never leaves a blank.
 */
export async function loadLocale(origin: string, locale: string): Promise<void> {
  if (loaded[locale] || !LOCALES.includes(locale)) return;
  try {
    const res = await fetch(`${origin}/widget/i18n/${locale}.json`);
    if (res.ok) registerDictionary(locale, (await res.json()) as Partial<Strings>);
  } catch {
    // Offline or blocked: English stays.
  }
}

/** A string with {placeholders} filled in. */
export function t(locale: string, key: keyof Strings, vars: Record<string, string | number> = {}): string {
  return format(loaded[locale]?.[key] ?? en[key], vars);
}
