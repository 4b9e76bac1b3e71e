import { apiClient, apiErrorMessage } from '$lib/server/client';
import type { PageServerLoad } from './$types';
import { reportQueryOf } from './report-query';

export const load: PageServerLoad = async (event) => {
  const query = reportQueryOf(event.url);
  const client = apiClient(event);
  const [overview, days, heatmap] = await Promise.all([
    client.GET('/reports/overview', { params: { query } }),
    client.GET('/reports/timeseries', { params: { query } }),
    client.GET('/reports/heatmap', { params: { query } }),
  ]);
  const failed = [overview, days, heatmap].find((r) => !r.data);
  return {
    overview: overview.data ?? null,
    days: days.data?.data ?? [],
    heatmap: heatmap.data?.data ?? [],
    reportError: failed ? apiErrorMessage(failed.error, failed.response.status) : null,
  };
};
