import { fail, redirect } from '@sveltejs/kit';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import { canWrite, formErrors } from '../form.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const gaps = await apiClient(event).GET('/kb/gaps');
  return {
    gaps: gaps.data?.data ?? [],
    loadError: gaps.data ? null : apiErrorMessage(gaps.error, gaps.response.status),
    canWrite: canWrite(event),
  };
};

export const actions: Actions = {
  /** A draft article titled with the question, opened in the editor. */
  draft: async (event) => {
    const id = String((await event.request.formData()).get('id') ?? '');
    const { data, error, response } = await apiClient(event).POST('/kb/gaps/{id}/draft', { params: { path: { id } } });
    if (!data)
      return fail(response.status === 403 ? 403 : 400, { gapId: id, gapError: Object.values(formErrors(error)).join(' ') });
    redirect(303, `/settings/kb/${data.id}?locale=${data.translations[0]?.locale ?? 'en'}`);
  },
  dismiss: async (event) => {
    const id = String((await event.request.formData()).get('id') ?? '');
    const { error, response } = await apiClient(event).POST('/kb/gaps/{id}/dismiss', { params: { path: { id } } });
    if (!response.ok)
      return fail(response.status === 403 ? 403 : 400, { gapId: id, gapError: Object.values(formErrors(error)).join(' ') });
    return { dismissed: id };
  },
};
