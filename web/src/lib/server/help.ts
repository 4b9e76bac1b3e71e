import type { components } from '@autocrm/shared/api-types';
import { error, type RequestEvent } from '@sveltejs/kit';
import type { ApiClient } from '$lib/api-client';
import { apiClient } from './client';

type Event = Pick<RequestEvent, 'cookies' | 'locals' | 'platform'>;

/** The public help API, called without the visitor's session: what everyone sees. */
export const helpApi = (event: Event): ApiClient => apiClient(event, { anonymous: true });

export async function helpLocales(event: Event): Promise<{ defaultLocale: string; locales: string[] }> {
  const { data } = await helpApi(event).GET('/help/locales');
  if (!data) error(502, 'help center unavailable');
  return { defaultLocale: data.default, locales: data.locales };
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

/** A category's name and description in the locale, else in the default one. */
export function categoryText(c: components['schemas']['KbCategory'], locale: string, defaultLocale: string) {
  const t = c.translations[locale] ?? c.translations[defaultLocale] ?? Object.values(c.translations)[0];
  return { name: t?.name ?? c.slug, description: t?.description ?? null };
}
