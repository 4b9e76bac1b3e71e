import { error } from '@sveltejs/kit';
import { apiClient } from '$lib/server/client';
import { withContacts } from '$lib/server/contacts';
import { fetchSla } from '$lib/sla';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (event.locals.user?.role === 'agent') error(403, 'Supervisors and admins only');
  const client = apiClient(event);
  const waiting = (statusCategory: 'open' | 'pending') =>
    client.GET('/conversations', { params: { query: { statusCategory, sort: 'waiting_since', order: 'asc', limit: 100 } } });
  const [open, pending, users, presence] = await Promise.all([
    waiting('open'),
    waiting('pending'),
    client.GET('/users'),
    client.GET('/presence'),
  ]);
  const rooms = await withContacts(event, [...(open.data?.data ?? []), ...(pending.data?.data ?? [])]);
  // The last message of each room (one short lookup per room).
  const last = await Promise.all(
    rooms.map((r) =>
      client
        .GET('/conversations/{id}/messages', { params: { path: { id: r.id }, query: { beforeSeq: r.lastSeq + 1, limit: 1 } } })
        .then((res) => [r.id, res.data?.data?.[0] ?? null] as const),
    ),
  );
  const sla = await fetchSla(
    client,
    rooms.map((r) => r.id),
  );
  return {
    rooms,
    sla,
    lastMessages: Object.fromEntries(last),
    users: (users.data?.data ?? []).filter((u) => u.active),
    presence: presence.data?.data ?? [],
  };
};
