import { fail } from '@sveltejs/kit';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import type { Actions, PageServerLoad } from './$types';
import { canWrite, formErrors } from './form.server';

export const load: PageServerLoad = async (event) => {
  const p = event.url.searchParams;
  const filters = {
    status: (['draft', 'published'].includes(p.get('status') ?? '') ? p.get('status') : '') as '' | 'draft' | 'published',
    categoryId: p.get('categoryId') ?? '',
    q: (p.get('q') ?? '').trim().slice(0, 200),
  };
  const client = apiClient(event);
  const [articles, categories] = await Promise.all([
    client.GET('/kb/articles', {
      params: {
        query: {
          ...(filters.status ? { status: filters.status } : {}),
          ...(filters.categoryId ? { categoryId: filters.categoryId } : {}),
          ...(filters.q ? { q: filters.q } : {}),
        },
      },
    }),
    client.GET('/kb/categories'),
  ]);
  return {
    filters,
    articles: articles.data?.data ?? [],
    listError: articles.data ? null : apiErrorMessage(articles.error, articles.response.status),
    categories: categories.data?.data ?? [],
    canWrite: canWrite(event),
    deleted: p.has('deleted'),
  };
};

export const actions: Actions = {
  createCategory: async (event) => {
    const form = await event.request.formData();
    const values = {
      slug: String(form.get('slug') ?? '').trim(),
      nameEn: String(form.get('nameEn') ?? '').trim(),
      nameDe: String(form.get('nameDe') ?? '').trim(),
    };
    const translations: Record<string, { name: string }> = { en: { name: values.nameEn } };
    if (values.nameDe) translations.de = { name: values.nameDe };
    const { error, response } = await apiClient(event).POST('/kb/categories', { body: { slug: values.slug, translations } });
    if (!response.ok) {
      const errors = formErrors(error);
      // The names are keyed translations.en.name: show them at their fields.
      for (const [k, v] of Object.entries(errors))
        if (k === 'translations') {
          delete errors[k];
          if (/^de\b/.test(v)) errors.nameDe = v.replace(/^de\.name: /, '');
          else errors.nameEn = v.replace(/^en\.name: /, '');
        }
      return fail(response.status === 403 ? 403 : 400, { category: { errors, values } });
    }
    return { categoryCreated: true };
  },
  deleteCategory: async (event) => {
    const form = await event.request.formData();
    const { error, response } = await apiClient(event).DELETE('/kb/categories/{id}', {
      params: { path: { id: String(form.get('id') ?? '') } },
    });
    if (!response.ok)
      return fail(response.status === 403 ? 403 : 400, { categoryDeleteError: Object.values(formErrors(error)).join(' ') });
    return { categoryDeleted: true };
  },
};
