import type { paths } from '@autocrm/shared/api-types';
import { fail } from '@sveltejs/kit';
import { apiQuery, filtersFrom } from '$lib/queue';
import { api, fieldErrors } from '$lib/server/api';
import { apiClient } from '$lib/server/client';
import { withContacts } from '$lib/server/contacts';
import { fetchSla } from '$lib/sla';
import type { Actions, PageServerLoad } from './$types';

/** A page of GET /conversations, which the queue asks for with its own query string (lib/queue.ts). */
type ConversationPage = paths['/conversations']['get']['responses'][200]['content']['application/json'];

export const load: PageServerLoad = async (event) => {
  const filters = filtersFrom(event.url.searchParams);
  const client = apiClient(event);
  const [list, users, statuses, teams, tags, views] = await Promise.all([
    api<ConversationPage>(event, 'GET', `/conversations?${apiQuery(filters)}`),
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
        const r = await api<ConversationPage>(event, 'GET', `/conversations?${apiQuery({ ...filters, view }, 100)}`);
        const n = r.status === 200 ? r.body.data.length : 0;
        return [view, r.status === 200 && r.body.nextCursor ? `${n}+` : String(n)] as const;
      }),
    ),
  );
  const rows = list.status === 200 ? await withContacts(event, list.body.data) : [];
  // SLA badges: one batch request for the whole page rather than one per row.
  const sla = await fetchSla(
    rows.map((r) => r.id),
    (path) => api(event, 'GET', path),
  );
  return {
    filters,
    rows,
    sla,
    hasMore: list.status === 200 && !!list.body.nextCursor,
    users: (users.data?.data ?? []).filter((u) => u.active),
    statuses: statuses.data?.data ?? [],
    teams: teamList,
    tags: tags.data?.data ?? [],
    counts,
    savedViews: views.data?.data ?? [],
  };
};

export const actions: Actions = {
  /** Bulk assign / status / priority / tag: one all-or-nothing API call. Works without JavaScript. */
  bulk: async (event) => {
    const form = await event.request.formData();
    const ids = form.getAll('ids').map(String);
    const op = String(form.get('op') ?? '');
    const value = String(form.get(`value_${op}`) ?? form.get('value') ?? '');
    if (!ids.length) return fail(400, { bulkError: 'Select at least one conversation.' });
    let update: Record<string, unknown>;
    if (op === 'assign') update = { assigneeId: value === 'none' ? null : value === 'me' ? event.locals.user!.id : value };
    else if (op === 'status') update = { statusId: value };
    else if (op === 'priority') update = { priority: value };
    else if (op === 'tag') update = { addTags: [value] };
    else return fail(400, { bulkError: 'Choose what to change.' });
    const res = await api(event, 'POST', '/conversations/bulk', { ids, update });
    if (res.status !== 200) {
      const errors = fieldErrors(res.body);
      return fail(res.status, { bulkError: Object.values(errors).join(' ') || 'Could not update.' });
    }
    return { bulkDone: res.body.data.length as number };
  },
  /** Saves the current view and quick filters under a name, for me or for everyone. */
  saveView: async (event) => {
    const form = await event.request.formData();
    // The filters travel as hidden fields: the action URL (?/saveView) has no query of its own.
    const filters = filtersFrom(new URLSearchParams([...form].map(([k, v]) => [k, String(v)])));
    const res = await api(event, 'POST', '/views', {
      name: String(form.get('name') ?? ''),
      shared: form.get('shared') === 'on',
      filters,
    });
    if (res.status !== 201) return fail(400, { viewError: Object.values(fieldErrors(res.body)).join(' ') });
    return { viewSaved: res.body.name as string };
  },
  deleteView: async (event) => {
    const form = await event.request.formData();
    const res = await api(event, 'DELETE', `/views/${String(form.get('id') ?? '')}`);
    if (res.status !== 204)
      return fail(res.status === 403 ? 403 : 400, { viewError: Object.values(fieldErrors(res.body)).join(' ') });
    return { viewDeleted: true };
  },
};
