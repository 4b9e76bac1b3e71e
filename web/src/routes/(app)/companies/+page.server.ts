import { fail, redirect } from '@sveltejs/kit';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import { fieldErrors, text } from '$lib/server/form-errors';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const q = event.url.searchParams.get('q')?.trim() || undefined;
  const cursor = event.url.searchParams.get('cursor') || undefined;
  const { data, error, response } = await apiClient(event).GET('/companies', {
    params: { query: { limit: 50, ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) } },
  });
  return {
    companies: data?.data ?? [],
    nextCursor: data?.nextCursor ?? null,
    q: q ?? '',
    listError: error ? apiErrorMessage(error, response.status) : null,
  };
};

export const actions: Actions = {
  create: async (event) => {
    const form = await event.request.formData();
    const values = { name: text(form, 'name') ?? '', domain: text(form, 'domain') ?? null };
    const { data, error, response } = await apiClient(event).POST('/companies', { body: values });
    if (!data) return fail(400, { create: { values, errors: fieldErrors(error, response.status) } });
    redirect(303, `/companies/${data.id}`);
  },
};
