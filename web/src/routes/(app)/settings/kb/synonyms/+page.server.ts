import { fail } from '@sveltejs/kit';
import { api } from '$lib/server/api';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import type { KbSynonym } from '$lib/types';
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
    const res = await api<KbSynonym>(event, 'POST', '/kb/synonyms', body);
    if (res.status !== 201) return fail(res.status === 403 ? 403 : 400, { id: null, values, errors: formErrors(res.body) });
    return { saved: res.body.id };
  },
  update: async (event) => {
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    const { values, body } = input(form);
    const res = await api<KbSynonym>(event, 'PUT', `/kb/synonyms/${id}`, body);
    if (res.status !== 200) return fail(res.status === 403 ? 403 : 400, { id, values, errors: formErrors(res.body) });
    return { saved: id };
  },
  delete: async (event) => {
    const id = String((await event.request.formData()).get('id') ?? '');
    const res = await api(event, 'DELETE', `/kb/synonyms/${id}`);
    if (res.status !== 204) return fail(res.status === 403 ? 403 : 400, { id, errors: formErrors(res.body) });
    return { deleted: id };
  },
};
