import { fail, redirect } from '@sveltejs/kit';
import { api } from '$lib/server/api';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import type { KbArticle } from '$lib/types';
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
    const res = await api<KbArticle>(event, 'POST', `/kb/gaps/${id}/draft`);
    if (res.status !== 201)
      return fail(res.status === 403 ? 403 : 400, { gapId: id, gapError: Object.values(formErrors(res.body)).join(' ') });
    redirect(303, `/settings/kb/${res.body.id}?locale=${res.body.translations[0]?.locale ?? 'en'}`);
  },
  dismiss: async (event) => {
    const id = String((await event.request.formData()).get('id') ?? '');
    const res = await api(event, 'POST', `/kb/gaps/${id}/dismiss`);
    if (res.status !== 204)
      return fail(res.status === 403 ? 403 : 400, { gapId: id, gapError: Object.values(formErrors(res.body)).join(' ') });
    return { dismissed: id };
  },
};
