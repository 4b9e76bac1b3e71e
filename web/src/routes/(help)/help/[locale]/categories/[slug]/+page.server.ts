import { error } from '@sveltejs/kit';
import { categoryText, helpApi } from '$lib/server/help';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { locale, slug } = event.params;
  const help = helpApi(event);
  const [{ defaultLocale }, { data: cats }] = await Promise.all([
    event.parent(),
    help.GET('/help/categories', { params: { query: { locale } } }),
  ]);
  if (!cats) error(502, 'help center unavailable');
  const category = cats.data.find((c) => c.slug === slug);
  if (!category) error(404, 'no such category');
  const { data: arts } = await help.GET('/help/articles', { params: { query: { locale, categoryId: category.id } } });
  if (!arts) error(502, 'help center unavailable');
  return {
    category: { slug: category.slug, ...categoryText(category, locale, defaultLocale) },
    articles: arts.data.map((a) => ({ slug: a.slug, kind: a.kind, title: a.title, locale: a.locale, excerpt: a.excerpt })),
  };
};
