import { apiClient, apiErrorMessage } from '$lib/server/client';
import { reportQueryOf } from '../report-query';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { data, error, response } = await apiClient(event).GET('/reports/knowledge', {
    params: { query: reportQueryOf(event.url) },
  });
  return { knowledge: data ?? null, reportError: data ? null : apiErrorMessage(error, response.status) };
};
