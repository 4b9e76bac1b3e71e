import { error } from '@sveltejs/kit';
import { categoryText, helpGet, type KbCategory, type PublicArticleSummary, qs } from '$lib/server/help';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { locale, slug } = event.params;
  const [{ defaultLocale }, cats] = await Promise.all([
    event.parent(),
    helpGet<{ data: KbCategory[] }>(event, `/categories${qs({ locale })}`),
  ]);
  if (cats.status !== 200) error(502, 'help center unavailable');
  const category = cats.body.data.find((c) => c.slug === slug);
  if (!category) error(404, 'no such category');
  const arts = await helpGet<{ data: PublicArticleSummary[] }>(event, `/articles${qs({ locale, categoryId: category.id })}`);
  if (arts.status !== 200) error(502, 'help center unavailable');
  return {
    category: { slug: category.slug, ...categoryText(category, locale, defaultLocale) },
    articles: arts.body.data.map((a) => ({ slug: a.slug, kind: a.kind, title: a.title, locale: a.locale, excerpt: a.excerpt })),
  };
};
