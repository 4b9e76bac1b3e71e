import type { KbCategory, KbSearchHit, PublicArticle, PublicArticleSummary } from '@autocrm/shared';
import { error, type RequestEvent } from '@sveltejs/kit';
import { api } from './api';

export type { KbCategory, KbSearchHit, PublicArticle, PublicArticleSummary };

type Event = Pick<RequestEvent, 'cookies' | 'locals' | 'platform'>;

/** The public help API, called without the visitor's session: what everyone sees. */
export async function helpGet<T>(event: Event, path: string): Promise<{ status: number; body: T }> {
  return api<T>(event, 'GET', `/help${path}`, undefined, { anonymous: true });
}

export async function helpLocales(event: Event): Promise<{ defaultLocale: string; locales: string[] }> {
  const res = await helpGet<{ default: string; locales: string[] }>(event, '/locales');
  if (res.status !== 200) error(502, 'help center unavailable');
  return { defaultLocale: res.body.default, locales: res.body.locales };
}

/** The best of `locales` for an Accept-Language header (exact tag, then language), else the default. */
export function pickLocale(header: string | null, locales: string[], defaultLocale: string): string {
  const wanted = (header ?? '')
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(
        params
          .find((p) => p.trim().startsWith('q='))
          ?.trim()
          .slice(2) ?? 1,
      );
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((w) => w.tag && w.tag !== '*' && w.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  const lower = new Map(locales.map((l) => [l.toLowerCase(), l]));
  for (const w of wanted) {
    const tag = w.tag.toLowerCase();
    const hit = lower.get(tag) ?? lower.get(tag.split('-')[0] ?? '');
    if (hit) return hit;
  }
  return defaultLocale;
}

/** Request path for search/list calls with a query string. */
export const qs = (params: Record<string, string | number | undefined>) => {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') sp.set(k, String(v));
  const s = sp.toString();
  return s ? `?${s}` : '';
};

/** A category's name and description in the locale, else in the default one. */
export function categoryText(c: KbCategory, locale: string, defaultLocale: string) {
  const t = c.translations[locale] ?? c.translations[defaultLocale] ?? Object.values(c.translations)[0];
  return { name: t?.name ?? c.slug, description: t?.description ?? null };
}
