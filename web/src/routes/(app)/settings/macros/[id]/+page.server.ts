import type { components } from '@autocrm/shared/api-types';
import { error, fail, redirect } from '@sveltejs/kit';
import { fieldErrors } from '$lib/server/api';
import { apiClient } from '$lib/server/client';
import { canShare, formValues, macroBody, macroOptions, rowsOf, takeUploads } from '../form.server';
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
      attachments: macro.attachments,
    },
    options,
    canShare: canShare(event),
  };
};

export const actions: Actions = {
  save: async (event) => {
    const form = await event.request.formData();
    const values = formValues(form);
    const uploadError = await takeUploads(event, form, values);
    if (uploadError) return fail(400, { values, errors: { files: uploadError } });
    const { body, errors } = macroBody(values);
    if (!body) return fail(400, { values, errors: errors ?? {} });
    // macroBody builds the contract's MacroInput from the form; the server checks every row.
    const { error: refused, response } = await apiClient(event).PUT('/macros/{id}', {
      params: { path: { id: event.params.id } },
      body: body as components['schemas']['MacroInput'],
    });
    if (!response.ok) return fail(response.status === 403 ? 403 : 400, { values, errors: fieldErrors(refused) });
    return { saved: true };
  },
  delete: async (event) => {
    const { error: refused, response } = await apiClient(event).DELETE('/macros/{id}', {
      params: { path: { id: event.params.id } },
    });
    if (!response.ok) return fail(response.status === 403 ? 403 : 400, { errors: fieldErrors(refused), values: undefined });
    redirect(303, '/settings/macros?deleted');
  },
};
