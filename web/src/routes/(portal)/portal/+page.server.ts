import { portalApi, requireCustomer } from '$lib/server/portal';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireCustomer(event);
  const { data } = await portalApi(event).GET('/portal/tickets');
  return { tickets: data?.data ?? [] };
};
