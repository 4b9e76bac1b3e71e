import { error, fail, redirect } from '@sveltejs/kit';
import { apiClient } from '$lib/server/client';
import { canWrite, formErrors, LOCALE_RE, translationBody, translationValues } from '../form.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!canWrite(event)) error(403, 'Only supervisors and admins can write articles.');
  const categories = await apiClient(event).GET('/kb/categories');
  return { categories: categories.data?.data ?? [] };
};

export const actions: Actions = {
  /** Creates the article with its first translation, then opens it in the editor. */
  default: async (event) => {
    const form = await event.request.formData();
    const v = translationValues(form);
    const values = {
      ...v,
      slug: String(form.get('slug') ?? '').trim(),
      kind: (form.get('kind') === 'tutorial' ? 'tutorial' : 'article') as 'tutorial' | 'article',
      categoryId: String(form.get('categoryId') ?? ''),
      locale: String(form.get('locale') ?? 'en').trim() || 'en',
    };
    if (!LOCALE_RE.test(values.locale)) return fail(400, { values, errors: { locale: 'must be a locale such as en or pt-BR' } });
    const { body, errors } = translationBody(v, values.kind);
    if (errors) return fail(400, { values, errors });
    const {
      data,
      error: refused,
      response,
    } = await apiClient(event).POST('/kb/articles', {
      body: {
        ...body,
        slug: values.slug,
        kind: values.kind,
        locale: values.locale,
        ...(values.categoryId ? { categoryId: values.categoryId } : {}),
      },
    });
    if (!data) return fail(response.status === 403 ? 403 : 400, { values, errors: formErrors(refused) });
    redirect(303, `/settings/kb/${data.id}?locale=${values.locale}&created=1`);
  },
};
