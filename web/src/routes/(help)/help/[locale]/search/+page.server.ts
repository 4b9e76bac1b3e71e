import { error } from '@sveltejs/kit';
import { helpApi } from '$lib/server/help';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const locale = event.params.locale;
  const q = (event.url.searchParams.get('q') ?? '').trim().slice(0, 500);
  if (!q) return { q, hits: [] };
  const { data, response } = await helpApi(event).GET('/help/search', { params: { query: { q, locale, limit: 20 } } });
  // 400: nothing searchable in the query (the API validates it); that is no results, not an outage.
  if (response.status === 400) return { q, hits: [] };
  if (!data) error(502, 'search unavailable');
  return {
    q,
    // The snippet is escaped text with <mark> only (the API's contract), so the page may render it as HTML.
    hits: data.hits.map((h) => ({ slug: h.slug, kind: h.kind, locale: h.locale, title: h.title, snippet: h.snippet })),
  };
};
