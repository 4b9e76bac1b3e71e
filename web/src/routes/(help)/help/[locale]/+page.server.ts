import type { components } from '@autocrm/shared/api-types';
import { error } from '@sveltejs/kit';
import { categoryText, helpApi } from '$lib/server/help';
import type { PageServerLoad } from './$types';

/** Shown per category card on the home page; the category page lists them all. */
const PER_CARD = 6;

type PublicArticleSummary = components['schemas']['PublicArticleSummary'];

export const load: PageServerLoad = async (event) => {
  const locale = event.params.locale;
  const help = helpApi(event);
  const [{ defaultLocale }, { data: cats }, { data: arts }] = await Promise.all([
    event.parent(),
    help.GET('/help/categories', { params: { query: { locale } } }),
    help.GET('/help/articles', { params: { query: { locale } } }),
  ]);
  if (!cats || !arts) error(502, 'help center unavailable');
  const byCategory = new Map<string | null, PublicArticleSummary[]>();
  for (const a of arts.data) {
    const list = byCategory.get(a.categoryId) ?? [];
    list.push(a);
    byCategory.set(a.categoryId, list);
  }
  const categories = cats.data
    .map((c) => {
      const articles = byCategory.get(c.id) ?? [];
      return {
        id: c.id,
        slug: c.slug,
        ...categoryText(c, locale, defaultLocale),
        count: articles.length,
        articles: articles.slice(0, PER_CARD).map(summary),
      };
    })
    .filter((c) => c.count > 0);
  const known = new Set(cats.data.map((c) => c.id));
  const others = arts.data.filter((a) => !a.categoryId || !known.has(a.categoryId)).map(summary);
  return { categories, others };
};

const summary = (a: PublicArticleSummary) => ({ slug: a.slug, kind: a.kind, title: a.title, locale: a.locale });
