import { de } from './strings-de';
import { en, type Strings } from './strings-en';

export { en, type Strings };

const languages: Record<string, Strings> = { en, de: de(en) };

/** The languages the workspace speaks (the profile's language picker offers these). */
export const WORKSPACE_LANGUAGES = ['en', 'de'] as const;

/** The strings for a language (English for one the workspace does not speak). */
export function strings(lang = 'en'): Strings {
  return languages[lang] ?? en;
}

/**
 * The agent's language: their profile's choice, else the first language of the browser's Accept-Language
 * (or navigator.languages) that the workspace speaks, else English.
 */
export function pickLanguage(profile: string | null | undefined, browserLanguages: readonly string[] = []): string {
  for (const l of [profile, ...browserLanguages]) {
    const base = l?.toLowerCase().split(/[-_;]/)[0]?.trim();
    if (base && base in languages) return base;
  }
  return 'en';
}

/** Accept-Language ("de-DE,de;q=0.9,en;q=0.8") as a list, most wanted first. */
export function acceptLanguages(header: string | null | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((p) => {
      const [tag, ...params] = p.trim().split(';');
      const q = Number(params.find((x) => x.trim().startsWith('q='))?.split('=')[1] ?? 1);
      return { tag: tag?.trim() ?? '', q: Number.isFinite(q) ? q : 0 };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q)
    .map((x) => x.tag);
}

let current: Strings = en;
let currentLang = 'en';

/**
 * Switches the workspace's strings. The root layout calls it before anything renders: in the browser there is
 * one agent per tab; on the server a page renders synchronously after its loads, so the language set at the
 * start of a render holds for that whole render (SvelteKit's async rendering is not enabled here).
 */
export function setLanguage(lang: string): void {
  currentLang = lang in languages ? lang : 'en';
  current = languages[currentLang]!;
}

export function language(): string {
  return currentLang;
}

/** The current language's strings: `t.queue.title` reads the language set last by setLanguage. */
export const t: Strings = new Proxy({} as Strings, {
  get: (_target, key) => current[key as keyof Strings],
  has: (_target, key) => key in current,
  ownKeys: () => Reflect.ownKeys(current),
  getOwnPropertyDescriptor: (_target, key) => ({ ...Reflect.getOwnPropertyDescriptor(current, key), configurable: true }),
});

/** "just now", "3 min ago" ("gerade eben", "vor 3 Minuten"): for "updated" and "last asked" columns. */
export function agoLabel(iso: string | null | undefined, now = Date.now(), lang = currentLang): string {
  if (!iso) return '';
  const ms = now - new Date(iso).getTime();
  if (lang === 'en') return ms < 60_000 ? 'just now' : `${ago(iso, now)} ago`;
  // Other languages through Intl: English keeps its short form that tests and screenshots know.
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return rtf.format(0, 'second');
  if (s < 3600) return rtf.format(-Math.floor(s / 60), 'minute');
  if (s < 86400) return rtf.format(-Math.floor(s / 3600), 'hour');
  return rtf.format(-Math.floor(s / 86400), 'day');
}

/** "3 min", "2 h", "4 d": how long ago, for waiting times and activity. */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '';
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86400)} d`;
}
