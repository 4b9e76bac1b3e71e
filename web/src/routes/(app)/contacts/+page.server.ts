import { fail, redirect } from '@sveltejs/kit';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import { fieldErrors, text } from '$lib/server/form-errors';
import type { Actions, PageServerLoad } from './$types';

const PAGE = 25;

export const load: PageServerLoad = async (event) => {
  const q = event.url.searchParams.get('q')?.trim() || undefined;
  const cursor = event.url.searchParams.get('cursor') || undefined;
  const { data, error, response } = await apiClient(event).GET('/contacts', {
    params: { query: { limit: PAGE, ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) } },
  });
  return {
    contacts: data?.data ?? [],
    nextCursor: data?.nextCursor ?? null,
    q: q ?? '',
    paged: Boolean(cursor),
    listError: error ? apiErrorMessage(error, response.status) : null,
  };
};

export const actions: Actions = {
  create: async (event) => {
    const form = await event.request.formData();
    const values = { name: text(form, 'name'), email: text(form, 'email'), phone: text(form, 'phone') };
    const { data, error, response } = await apiClient(event).POST('/contacts', { body: values });
    if (!data) return fail(400, { create: { values, errors: fieldErrors(error, response.status) } });
    redirect(303, `/contacts/${data.id}`);
  },
};
