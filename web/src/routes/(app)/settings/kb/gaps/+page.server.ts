import { fail, redirect } from '@sveltejs/kit';
import { api } from '$lib/server/api';
import type { KbArticle, KbGap } from '$lib/types';
import { canWrite, formErrors } from '../form.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const gaps = await api<{ data: KbGap[] }>(event, 'GET', '/kb/gaps');
  return {
    gaps: gaps.status === 200 ? gaps.body.data : [],
    loadError: gaps.status === 200 ? null : ((gaps.body as any)?.error?.message ?? `HTTP ${gaps.status}`),
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
