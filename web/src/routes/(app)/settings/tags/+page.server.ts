import { fail } from '@sveltejs/kit';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import { fieldErrors, text } from '$lib/server/form-errors';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { data, error, response } = await apiClient(event).GET('/tags');
  return {
    tags: data?.data ?? [],
    listError: error ? apiErrorMessage(error, response.status) : null,
    canManage: event.locals.user?.role === 'admin',
  };
};

export const actions: Actions = {
  create: async (event) => {
    const form = await event.request.formData();
    const values = { name: text(form, 'name') ?? '', color: text(form, 'color') };
    const { data, error, response } = await apiClient(event).POST('/tags', { body: values });
    if (!data) return fail(400, { create: { values, errors: fieldErrors(error, response.status) } });
    return { created: data.name };
  },
  update: async (event) => {
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    const body = { name: text(form, 'name') ?? '', color: text(form, 'color') ?? null };
    const { data, error, response } = await apiClient(event).PATCH('/tags/{id}', { params: { path: { id } }, body });
    if (!data) return fail(400, { rowError: apiErrorMessage(error, response.status), id });
    return { updated: data.name };
  },
  merge: async (event) => {
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    const into = String(form.get('into') ?? '');
    const { data, error, response } = await apiClient(event).POST('/tags/{id}/merge', {
      params: { path: { id } },
      body: { into },
    });
    if (!data) return fail(400, { rowError: apiErrorMessage(error, response.status), id });
    return { merged: data.name };
  },
  delete: async (event) => {
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    const { error, response } = await apiClient(event).DELETE('/tags/{id}', { params: { path: { id } } });
    if (!response.ok) return fail(400, { rowError: apiErrorMessage(error, response.status), id });
    return { deleted: true };
  },
};
