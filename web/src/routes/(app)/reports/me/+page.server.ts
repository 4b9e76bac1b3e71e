import { apiClient, apiErrorMessage } from '$lib/server/client';
import { reportQueryOf } from '../report-query';
import type { PageServerLoad } from './$types';

/** "My stats": the signed-in person's own figures, whatever their role (the same API, pinned to them). */
export const load: PageServerLoad = async (event) => {
  const me = event.locals.user?.id;
  const query = { ...reportQueryOf(event.url), agent: me };
  const client = apiClient(event);
  const [overview, agents] = await Promise.all([
    client.GET('/reports/overview', { params: { query } }),
    client.GET('/reports/agents', { params: { query } }),
  ]);
  const failed = [overview, agents].find((r) => !r.data);
  return {
    me: me ?? null,
    mine: overview.data ?? null,
    row: agents.data?.data.find((a) => a.agentId === me) ?? null,
    reportError: failed ? apiErrorMessage(failed.error, failed.response.status) : null,
  };
};
