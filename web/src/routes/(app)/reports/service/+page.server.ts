import { apiClient, apiErrorMessage } from '$lib/server/client';
import { reportQueryOf } from '../report-query';
import type { PageServerLoad } from './$types';

/** Service levels, with the overview's calendar-time first response and resolution beside their business-hours ones. */
export const load: PageServerLoad = async (event) => {
  const query = reportQueryOf(event.url);
  const client = apiClient(event);
  const [service, overview] = await Promise.all([
    client.GET('/reports/service', { params: { query } }),
    client.GET('/reports/overview', { params: { query } }),
  ]);
  const failed = [service, overview].find((r) => !r.data);
  return {
    service: service.data ?? null,
    calendar: overview.data?.current ?? null,
    reportError: failed ? apiErrorMessage(failed.error, failed.response.status) : null,
  };
};
