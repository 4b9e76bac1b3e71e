import type { components } from '@autocrm/shared/api-types';
import { fail } from '@sveltejs/kit';
import { fieldErrors } from '$lib/server/api';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import type { Actions, PageServerLoad } from './$types';
import { canShare, formValues, macroBody, macroOptions, takeUploads } from './form.server';

export const load: PageServerLoad = async (event) => {
  const [macros, options] = await Promise.all([apiClient(event).GET('/macros'), macroOptions(event)]);
  return {
    macros: macros.data?.data ?? [],
    listError: macros.data ? null : apiErrorMessage(macros.error, macros.response.status),
    options,
    canShare: canShare(event),
    deleted: event.url.searchParams.has('deleted'),
  };
};

export const actions: Actions = {
  create: async (event) => {
    const form = await event.request.formData();
    const values = formValues(form);
    const uploadError = await takeUploads(event, form, values);
    if (uploadError) return fail(400, { create: { values, errors: { files: uploadError } } });
    const { body, errors } = macroBody(values);
    if (!body) return fail(400, { create: { values, errors: errors ?? {} } });
    // macroBody builds the contract's MacroInput from the form; the server checks every row.
    const { data, error, response } = await apiClient(event).POST('/macros', {
      body: body as components['schemas']['MacroInput'],
    });
    if (!data) return fail(response.status === 403 ? 403 : 400, { create: { values, errors: fieldErrors(error) } });
    return { created: data.name };
  },
  delete: async (event) => {
    const form = await event.request.formData();
    const { error, response } = await apiClient(event).DELETE('/macros/{id}', {
      params: { path: { id: String(form.get('id') ?? '') } },
    });
    if (!response.ok)
      return fail(response.status === 403 ? 403 : 400, { deleteError: Object.values(fieldErrors(error)).join(' ') });
    return { removed: true };
  },
};
