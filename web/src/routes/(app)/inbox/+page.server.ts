import type { paths } from '@autocrm/shared/api-types';
import { fail } from '@sveltejs/kit';
import { filtersFrom } from '$lib/queue';
import { fieldErrors } from '$lib/server/api';
import { apiClient } from '$lib/server/client';
import type { Actions, PageServerLoad } from './$types';

type BulkUpdate = paths['/conversations/bulk']['post']['requestBody']['content']['application/json']['update'];

/** The list is loaded by +layout.server.ts (it stays while conversations open); this page keeps the list's actions. */
export const load: PageServerLoad = () => ({});

export const actions: Actions = {
  /** Bulk assign / status / priority / tag: one all-or-nothing API call. Works without JavaScript. */
  bulk: async (event) => {
    const form = await event.request.formData();
    const ids = form.getAll('ids').map(String);
    const op = String(form.get('op') ?? '');
    const value = String(form.get(`value_${op}`) ?? form.get('value') ?? '');
    if (!ids.length) return fail(400, { bulkError: 'Select at least one conversation.' });
    let update: BulkUpdate;
    if (op === 'assign') update = { assigneeId: value === 'none' ? null : value === 'me' ? event.locals.user!.id : value };
    else if (op === 'status') update = { statusId: value };
    // The select offers the API's priorities; the server refuses anything else.
    else if (op === 'priority') update = { priority: value as NonNullable<BulkUpdate['priority']> };
    else if (op === 'tag') update = { addTags: [value] };
    else return fail(400, { bulkError: 'Choose what to change.' });
    const { data, error, response } = await apiClient(event).POST('/conversations/bulk', { body: { ids, update } });
    if (!data) {
      const errors = fieldErrors(error);
      return fail(response.status, { bulkError: Object.values(errors).join(' ') || 'Could not update.' });
    }
    return { bulkDone: data.data.length };
  },
  /** Saves the current view and quick filters under a name, for me or for everyone. */
  saveView: async (event) => {
    const form = await event.request.formData();
    // The filters travel as hidden fields: the action URL (?/saveView) has no query of its own.
    const filters = filtersFrom(new URLSearchParams([...form].map(([k, v]) => [k, String(v)])));
    const { data, error } = await apiClient(event).POST('/views', {
      body: { name: String(form.get('name') ?? ''), shared: form.get('shared') === 'on', filters },
    });
    if (!data) return fail(400, { viewError: Object.values(fieldErrors(error)).join(' ') });
    return { viewSaved: data.name };
  },
  deleteView: async (event) => {
    const form = await event.request.formData();
    const { error, response } = await apiClient(event).DELETE('/views/{id}', {
      params: { path: { id: String(form.get('id') ?? '') } },
    });
    if (!response.ok)
      return fail(response.status === 403 ? 403 : 400, { viewError: Object.values(fieldErrors(error)).join(' ') });
    return { viewDeleted: true };
  },
};
