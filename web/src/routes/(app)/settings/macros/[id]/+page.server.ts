import { error, fail, redirect } from '@sveltejs/kit';
import { api, fieldErrors } from '$lib/server/api';
import { apiClient } from '$lib/server/client';
import { canShare, formValues, macroBody, macroOptions, rowsOf } from '../form.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const [{ data: macro, response }, options] = await Promise.all([
    apiClient(event).GET('/macros/{id}', { params: { path: { id: event.params.id } } }),
    macroOptions(event),
  ]);
  if (!macro) error(response.status === 400 ? 404 : response.status, 'Macro not found');
  return {
    macro,
    values: {
      name: macro.name,
      shortcut: macro.shortcut ?? '',
      body: macro.bodyHtml,
      note: macro.noteHtml,
      visibility: macro.visibility,
      rows: rowsOf(macro.actions),
    },
    options,
    canShare: canShare(event),
  };
};

export const actions: Actions = {
  save: async (event) => {
    const values = formValues(await event.request.formData());
    const { body, errors } = macroBody(values);
    if (!body) return fail(400, { values, errors: errors ?? {} });
    const res = await api(event, 'PUT', `/macros/${encodeURIComponent(event.params.id)}`, body);
    if (res.status !== 200) return fail(res.status === 403 ? 403 : 400, { values, errors: fieldErrors(res.body) });
    return { saved: true };
  },
  delete: async (event) => {
    const res = await api(event, 'DELETE', `/macros/${encodeURIComponent(event.params.id)}`);
    if (res.status !== 204) return fail(res.status === 403 ? 403 : 400, { errors: fieldErrors(res.body), values: undefined });
    redirect(303, '/settings/macros?deleted');
  },
};
