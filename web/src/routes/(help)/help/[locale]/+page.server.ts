import { error } from '@sveltejs/kit';
import { categoryText, helpGet, type KbCategory, type PublicArticleSummary, qs } from '$lib/server/help';
import type { PageServerLoad } from './$types';

/** Shown per category card on the home page; the category page lists them all. */
const PER_CARD = 6;

export const load: PageServerLoad = async (event) => {
  const locale = event.params.locale;
  const [{ defaultLocale }, cats, arts] = await Promise.all([
    event.parent(),
    helpGet<{ data: KbCategory[] }>(event, `/categories${qs({ locale })}`),
    helpGet<{ data: PublicArticleSummary[] }>(event, `/articles${qs({ locale })}`),
  ]);
  if (cats.status !== 200 || arts.status !== 200) error(502, 'help center unavailable');
  const byCategory = new Map<string | null, PublicArticleSummary[]>();
  for (const a of arts.body.data) {
    const list = byCategory.get(a.categoryId) ?? [];
    list.push(a);
    byCategory.set(a.categoryId, list);
  }
  const categories = cats.body.data
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
  const known = new Set(cats.body.data.map((c) => c.id));
  const others = arts.body.data.filter((a) => !a.categoryId || !known.has(a.categoryId)).map(summary);
  return { categories, others };
};

const summary = (a: PublicArticleSummary) => ({ slug: a.slug, kind: a.kind, title: a.title, locale: a.locale });
