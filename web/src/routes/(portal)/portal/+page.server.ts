import { portalApi, requireCustomer } from '$lib/server/portal';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireCustomer(event);
  const res = await portalApi(event, 'GET', '/tickets');
  return { tickets: (res.status === 200 ? res.body.data : []) as PortalTicketRow[] };
};

export interface PortalTicketRow {
  id: string;
  number: number;
  subject: string | null;
  status: { name: string; category: 'open' | 'pending' | 'resolved' | 'closed' };
  channel: string;
  lastActivityAt: string;
  assigneeFirstName: string | null;
}
