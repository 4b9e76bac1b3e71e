import { apiClient, apiErrorMessage } from '$lib/server/client';
import { reportQueryOf } from '../report-query';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { data, error, response } = await apiClient(event).GET('/reports/macros', {
    params: { query: reportQueryOf(event.url) },
  });
  return { macros: data?.data ?? [], reportError: data ? null : apiErrorMessage(error, response.status) };
};
