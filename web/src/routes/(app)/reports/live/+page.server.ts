import { apiClient, apiErrorMessage } from '$lib/server/client';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { data, error: err, response } = await apiClient(event).GET('/reports/live');
  return { live: data ?? null, reportError: data ? null : apiErrorMessage(err, response.status) };
};
