import { error } from '@sveltejs/kit';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (event.locals.user?.role === 'agent') error(403, 'The live dashboard is for supervisors and admins.');
  const { data, error: err, response } = await apiClient(event).GET('/reports/live');
  return { live: data ?? null, reportError: data ? null : apiErrorMessage(err, response.status) };
};
