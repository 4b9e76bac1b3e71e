import { error, fail, redirect } from '@sveltejs/kit';
import { api } from '$lib/server/api';
import { apiClient } from '$lib/server/client';
import type { KbArticle } from '$lib/types';
import { canWrite, DEFAULT_LOCALE, formErrors, LOCALE_RE, translationBody, translationValues } from '../form.server';
import type { Actions, PageServerLoad } from './$types';

/** The locales every article offers a tab for, even before they are written. */
const BASE_LOCALES = ['en', 'de'];

export const load: PageServerLoad = async (event) => {
  const id = event.params.id;
  const article = await api<KbArticle>(event, 'GET', `/kb/articles/${id}`);
  if (article.status === 404 || article.status === 400) error(404, 'Article not found');
  if (article.status !== 200) error(article.status, 'Could not load the article');
  const a = article.body;
  const client = apiClient(event);
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
    const res = await api(event, 'PATCH', `/kb/articles/${event.params.id}`, {
      slug: values.slug,
      categoryId: values.categoryId || null,
    });
    if (res.status !== 200) return fail(res.status === 403 ? 403 : 400, { details: { values, errors: formErrors(res.body) } });
    return { detailsSaved: true };
  },
  /** One locale's text: a new translation, or a new version of it. */
  save: async (event) => {
    const form = await event.request.formData();
    const locale = String(form.get('locale') ?? '');
    const values = translationValues(form);
    if (!LOCALE_RE.test(locale)) return fail(400, { translation: { locale, values, errors: { form: 'Unknown language.' } } });
    const article = await api<KbArticle>(event, 'GET', `/kb/articles/${event.params.id}`);
    if (article.status !== 200) error(404, 'Article not found');
    const { body, errors } = translationBody(values, article.body.kind);
    if (errors) return fail(400, { translation: { locale, values, errors } });
    const res = await api(event, 'PUT', `/kb/articles/${event.params.id}/translations/${locale}`, body);
    if (res.status !== 200)
      return fail(res.status === 403 ? 403 : 400, { translation: { locale, values, errors: formErrors(res.body) } });
    return { savedLocale: locale };
  },
  delete: async (event) => {
    const res = await api(event, 'DELETE', `/kb/articles/${event.params.id}`);
    if (res.status !== 204)
      return fail(res.status === 403 ? 403 : 400, { deleteError: Object.values(formErrors(res.body)).join(' ') });
    redirect(303, '/settings/kb?deleted=1');
  },
};
