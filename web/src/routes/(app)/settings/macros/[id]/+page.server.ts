import { error, fail, redirect } from '@sveltejs/kit';
import { api, fieldErrors } from '$lib/server/api';
import { canShare, formValues, type Macro, macroBody, macroOptions, rowsOf } from '../form.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const [macro, options] = await Promise.all([
    api<Macro>(event, 'GET', `/macros/${encodeURIComponent(event.params.id)}`),
    macroOptions(event),
  ]);
  if (macro.status !== 200) error(macro.status === 400 ? 404 : macro.status, 'Macro not found');
  return {
    macro: macro.body,
    values: {
      name: macro.body.name,
      shortcut: macro.body.shortcut ?? '',
      body: macro.body.bodyHtml,
      note: macro.body.noteHtml,
      visibility: macro.body.visibility,
      rows: rowsOf(macro.body.actions),
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
