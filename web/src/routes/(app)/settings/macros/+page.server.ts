import { fail } from '@sveltejs/kit';
import { api, fieldErrors } from '$lib/server/api';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import type { Actions, PageServerLoad } from './$types';
import { canShare, formValues, macroBody, macroOptions } from './form.server';

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
    const values = formValues(await event.request.formData());
    const { body, errors } = macroBody(values);
    if (!body) return fail(400, { create: { values, errors: errors ?? {} } });
    const res = await api(event, 'POST', '/macros', body);
    if (res.status !== 201) return fail(res.status === 403 ? 403 : 400, { create: { values, errors: fieldErrors(res.body) } });
    return { created: res.body.name as string };
  },
  delete: async (event) => {
    const form = await event.request.formData();
    const res = await api(event, 'DELETE', `/macros/${String(form.get('id') ?? '')}`);
    if (res.status !== 204)
      return fail(res.status === 403 ? 403 : 400, { deleteError: Object.values(fieldErrors(res.body)).join(' ') });
    return { removed: true };
  },
};
