import { error } from '@sveltejs/kit';
import { api } from '$lib/server/api';
import { withContacts } from '$lib/server/contacts';
import { fetchSla } from '$lib/sla';
import type { Conversation, Message, WorkspaceUser } from '$lib/types';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (event.locals.user?.role === 'agent') error(403, 'Supervisors and admins only');
  const [open, pending, users, presence] = await Promise.all([
    api<{ data: Conversation[] }>(event, 'GET', '/conversations?statusCategory=open&sort=waiting_since&order=asc&limit=100'),
    api<{ data: Conversation[] }>(event, 'GET', '/conversations?statusCategory=pending&sort=waiting_since&order=asc&limit=100'),
    api<{ data: WorkspaceUser[] }>(event, 'GET', '/users'),
    api<{ data: { userId: string; name: string; status: 'online' | 'away' | 'offline' }[] }>(event, 'GET', '/presence'),
  ]);
  const rooms = await withContacts(event, [...(open.body?.data ?? []), ...(pending.body?.data ?? [])]);
  // The last message of each room (one short lookup per room).
  const last = await Promise.all(
    rooms.map((r) =>
      api<{ data: Message[] }>(event, 'GET', `/conversations/${r.id}/messages?beforeSeq=${r.lastSeq + 1}&limit=1`).then(
        (res) => [r.id, res.body?.data?.[0] ?? null] as const,
      ),
    ),
  );
  const sla = await fetchSla(
    rooms.map((r) => r.id),
    (path) => api(event, 'GET', path),
  );
  return {
    rooms,
    sla,
    lastMessages: Object.fromEntries(last) as Record<string, Message | null>,
    users: users.status === 200 ? users.body.data.filter((u) => u.active) : [],
    presence: presence.status === 200 ? presence.body.data : [],
  };
};
