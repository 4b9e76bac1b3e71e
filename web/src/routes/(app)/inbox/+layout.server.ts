import { apiQuery, filtersFrom } from '$lib/queue';
import { apiClient } from '$lib/server/client';
import { withContacts } from '$lib/server/contacts';
import { fetchSla } from '$lib/sla';
import type { LayoutServerLoad } from './$types';

/** The list's filters outlive opening a conversation (whose URL has no query): kept in a cookie. */
const FILTERS_COOKIE = 'inbox_filters';

/**
 * The conversation list is the inbox's left pane: loaded here, once for /inbox and every /inbox/<id> below it,
 * so opening a conversation keeps the list (three panes on one page; see +layout.svelte).
 */
export const load: LayoutServerLoad = async (event) => {
  event.depends('app:queue');
  // Only the query is a dependency: moving between conversations does not reload the list. A query sets the
  // list's filters and is remembered; without one (a conversation's URL, the back link) the last ones apply.
  const query = event.url.searchParams;
  if (query.size) event.cookies.set(FILTERS_COOKIE, query.toString(), { path: '/inbox', httpOnly: true, sameSite: 'lax' });
  const params = query.size ? query : new URLSearchParams(event.cookies.get(FILTERS_COOKIE) ?? '');
  const filters = filtersFrom(params);
  const client = apiClient(event);
  const [list, users, statuses, teams, tags, views] = await Promise.all([
    client.GET('/conversations', { params: { query: apiQuery(filters) } }),
    client.GET('/users'),
    client.GET('/statuses'),
    client.GET('/teams'),
    client.GET('/tags'),
    client.GET('/views'),
  ]);
  const teamList = teams.data?.data ?? [];
  // Counts per view, with the same quick filters; past 100 the view shows "100+".
  const viewIds = ['todo', 'mine', 'unassigned', 'snoozed', 'all', ...teamList.map((t) => `team:${t.id}`)];
  const counts = Object.fromEntries(
    await Promise.all(
      viewIds.map(async (view) => {
        // From the Archived view (any state) the other views' links go back to open ones: count those.
        const state = filters.view === 'archived' ? 'open' : filters.state;
        const { data } = await client.GET('/conversations', { params: { query: apiQuery({ ...filters, state, view }, 100) } });
        const n = data?.data.length ?? 0;
        return [view, data?.nextCursor ? `${n}+` : String(n)] as const;
      }),
    ),
  );
  const rows = list.data ? await withContacts(event, list.data.data) : [];
  // SLA badges: one batch request for the whole page rather than one per row.
  const sla = await fetchSla(
    client,
    rows.map((r) => r.id),
  );
  return {
    filters,
    rows,
    sla,
    hasMore: !!list.data?.nextCursor,
    users: (users.data?.data ?? []).filter((u) => u.active),
    statuses: statuses.data?.data ?? [],
    teams: teamList,
    tags: tags.data?.data ?? [],
    counts,
    savedViews: views.data?.data ?? [],
  };
};
