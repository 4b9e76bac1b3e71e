import { fail } from '@sveltejs/kit';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import { canWrite, formErrors } from '../form.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const res = await apiClient(event).GET('/kb/synonyms');
  return {
    synonyms: res.data?.data ?? [],
    loadError: res.data ? null : apiErrorMessage(res.error, res.response.status),
    canWrite: canWrite(event),
  };
};

/** The form's fields as the API wants them: synonyms typed as a comma-separated list. */
function input(form: FormData) {
  const s = (k: string) => String(form.get(k) ?? '').trim();
  return {
    values: { locale: s('locale'), term: s('term'), synonyms: s('synonyms') },
    body: {
      locale: s('locale'),
      term: s('term'),
      synonyms: s('synonyms')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    },
  };
}

export const actions: Actions = {
  create: async (event) => {
    const { values, body } = input(await event.request.formData());
    const { data, error, response } = await apiClient(event).POST('/kb/synonyms', { body });
    if (!data) return fail(response.status === 403 ? 403 : 400, { id: null, values, errors: formErrors(error) });
    return { saved: data.id };
  },
  update: async (event) => {
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    const { values, body } = input(form);
    const { error, response } = await apiClient(event).PUT('/kb/synonyms/{id}', { params: { path: { id } }, body });
    if (!response.ok) return fail(response.status === 403 ? 403 : 400, { id, values, errors: formErrors(error) });
    return { saved: id };
  },
  delete: async (event) => {
    const id = String((await event.request.formData()).get('id') ?? '');
    const { error, response } = await apiClient(event).DELETE('/kb/synonyms/{id}', { params: { path: { id } } });
    if (!response.ok) return fail(response.status === 403 ? 403 : 400, { id, errors: formErrors(error) });
    return { deleted: id };
  },
};
