import { error, fail } from '@sveltejs/kit';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (event.locals.user?.role !== 'admin') error(403, 'Only admins see maintenance.');
  const { data, error: err, response } = await apiClient(event).GET('/admin/jobs');
  return { jobs: data?.data ?? [], listError: err ? apiErrorMessage(err, response.status) : null };
};

export const actions: Actions = {
  run: async (event) => {
    const name = String((await event.request.formData()).get('name') ?? '');
    const { data, error: err, response } = await apiClient(event).POST('/admin/jobs/{name}/run', { params: { path: { name } } });
    if (!data) return fail(400, { runError: apiErrorMessage(err, response.status) });
    return { ran: data.name, status: data.lastStatus };
  },
};
