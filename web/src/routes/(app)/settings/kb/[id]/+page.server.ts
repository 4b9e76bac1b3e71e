import { error, fail, redirect } from '@sveltejs/kit';
import { apiClient } from '$lib/server/client';
import { canWrite, DEFAULT_LOCALE, formErrors, LOCALE_RE, translationBody, translationValues } from '../form.server';
import type { Actions, PageServerLoad } from './$types';

/** The locales every article offers a tab for, even before they are written. */
const BASE_LOCALES = ['en', 'de'];

export const load: PageServerLoad = async (event) => {
  const id = event.params.id;
  const client = apiClient(event);
  const article = await client.GET('/kb/articles/{id}', { params: { path: { id } } });
  const status = article.response.status;
  if (status === 404 || status === 400) error(404, 'Article not found');
  if (!article.data) error(status, 'Could not load the article');
  const a = article.data;
  const [versions, categories, users] = await Promise.all([
    client.GET('/kb/articles/{id}/versions', { params: { path: { id } } }),
    client.GET('/kb/categories'),
    client.GET('/users'),
  ]);
  const asked = event.url.searchParams.get('locale') ?? '';
  const locale = LOCALE_RE.test(asked)
    ? asked
    : ((a.translations.find((x) => x.locale === DEFAULT_LOCALE) ?? a.translations[0])?.locale ?? DEFAULT_LOCALE);
  const locales = [...new Set([...BASE_LOCALES, ...a.translations.map((x) => x.locale), locale])];
  return {
    article: a,
    locale,
    locales,
    versions: versions.data?.data ?? [],
    categories: categories.data?.data ?? [],
    authors: Object.fromEntries((users.data?.data ?? []).map((u) => [u.id, u.name])) as Record<string, string>,
    canWrite: canWrite(event),
    created: event.url.searchParams.has('created'),
  };
};

export const actions: Actions = {
  /** Slug and category (the kind is fixed once created). */
  details: async (event) => {
    const form = await event.request.formData();
    const values = { slug: String(form.get('slug') ?? '').trim(), categoryId: String(form.get('categoryId') ?? '') };
    const { error: refused, response } = await apiClient(event).PATCH('/kb/articles/{id}', {
      params: { path: { id: event.params.id } },
      body: { slug: values.slug, categoryId: values.categoryId || null },
    });
    if (!response.ok) return fail(response.status === 403 ? 403 : 400, { details: { values, errors: formErrors(refused) } });
    return { detailsSaved: true };
  },
  /** One locale's text: a new translation, or a new version of it. */
  save: async (event) => {
    const form = await event.request.formData();
    const locale = String(form.get('locale') ?? '');
    const values = translationValues(form);
    if (!LOCALE_RE.test(locale)) return fail(400, { translation: { locale, values, errors: { form: 'Unknown language.' } } });
    const client = apiClient(event);
    const article = await client.GET('/kb/articles/{id}', { params: { path: { id: event.params.id } } });
    if (!article.data) error(404, 'Article not found');
    const { body, errors } = translationBody(values, article.data.kind);
    if (errors) return fail(400, { translation: { locale, values, errors } });
    const { error: refused, response } = await client.PUT('/kb/articles/{id}/translations/{locale}', {
      params: { path: { id: event.params.id, locale } },
      body,
    });
    if (!response.ok)
      return fail(response.status === 403 ? 403 : 400, { translation: { locale, values, errors: formErrors(refused) } });
    return { savedLocale: locale };
  },
  delete: async (event) => {
    const { error: refused, response } = await apiClient(event).DELETE('/kb/articles/{id}', {
      params: { path: { id: event.params.id } },
    });
    if (!response.ok)
      return fail(response.status === 403 ? 403 : 400, { deleteError: Object.values(formErrors(refused)).join(' ') });
    redirect(303, '/settings/kb?deleted=1');
  },
};
