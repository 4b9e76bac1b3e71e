import type { components } from '@autocrm/shared/api-types';
import { error, fail } from '@sveltejs/kit';
import { api, fieldErrors } from '$lib/server/api';
import { apiClient } from '$lib/server/client';
import { withContacts } from '$lib/server/contacts';
import type { Actions, PageServerLoad } from './$types';

type CustomFieldDef = components['schemas']['CustomFieldDefinition'];

const PAGE = 50;

export const load: PageServerLoad = async (event) => {
  const client = apiClient(event);
  const id = event.params.id;
  const conv = await client.GET('/conversations/{id}', { params: { path: { id } } });
  const status = conv.response.status;
  // Agents get 404 for inboxes they do not belong to, same as the API: no hint it exists.
  if (status === 404 || status === 400 || status === 403) error(404, 'Not found');
  if (!conv.data) error(status, 'Could not load the conversation');
  const c = conv.data;
  const path = { path: { id } };
  const [messages, contact, previous, users, statuses, fields, history, teams, tags, macros] = await Promise.all([
    client.GET('/conversations/{id}/messages', { params: { ...path, query: { beforeSeq: c.lastSeq + 1, limit: PAGE } } }),
    client.GET('/contacts/{id}', { params: { path: { id: c.contactId } } }),
    client.GET('/conversations', { params: { query: { contact: c.contactId, limit: 20 } } }),
    client.GET('/users'),
    client.GET('/statuses'),
    client.GET('/custom-fields'),
    client.GET('/conversations/{id}/status-history', { params: path }),
    client.GET('/teams'),
    client.GET('/tags'),
    client.GET('/macros'),
  ]);
  return {
    conversation: c,
    messages: messages.data?.data ?? [],
    pageSize: PAGE,
    contact: contact.data ?? null,
    previous: previous.data ? await withContacts(event, previous.data.data.filter((p) => p.id !== c.id).slice(0, 10)) : [],
    users: users.data?.data ?? [],
    statuses: statuses.data?.data ?? [],
    customFields: fields.data?.data ?? [],
    statusHistory: history.data?.data ?? [],
    teams: teams.data?.data ?? [],
    tags: tags.data?.data ?? [],
    macros: macros.data?.data ?? [],
  };
};

/** A form value for a custom field, typed as its definition says (the API validates it again). */
function customValue(def: CustomFieldDef | undefined, raw: FormDataEntryValue | null, all: FormDataEntryValue[]) {
  const s = raw === null ? '' : String(raw);
  if (!def) return s;
  if (def.type === 'boolean') return s === 'true' ? true : s === 'false' ? false : null;
  if (def.type === 'multi_select') return all.map(String).filter(Boolean);
  if (s === '') return null;
  if (def.type === 'number') return Number.isFinite(Number(s)) ? Number(s) : s;
  return s;
}

export const actions: Actions = {
  /** In-place ticket edits (status, priority, assignee, team, tags, custom fields): one PATCH. */
  update: async (event) => {
    const form = await event.request.formData();
    const update: Record<string, unknown> = {};
    const str = (k: string) => (form.has(k) ? String(form.get(k)) : undefined);
    if (str('statusId')) update.statusId = str('statusId');
    if (str('priority')) update.priority = str('priority');
    if (form.has('assigneeId')) update.assigneeId = str('assigneeId') || null;
    if (form.has('teamId')) update.teamId = str('teamId') || null;
    if (form.has('tags'))
      update.tags = String(form.get('tags'))
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    if (form.get('takeOver')) update.assigneeId = event.locals.user!.id;
    const cf = form.getAll('cf').map(String);
    if (cf.length) {
      const defs = await api<{ data: CustomFieldDef[] }>(event, 'GET', '/custom-fields');
      update.customFields = Object.fromEntries(
        cf.map((key) => [
          key,
          customValue(
            defs.body?.data?.find((d) => d.key === key),
            form.get(`cf_${key}`),
            form.getAll(`cf_${key}`),
          ),
        ]),
      );
    }
    const res = await api(event, 'PATCH', `/conversations/${event.params.id}`, update);
    if (res.status !== 200) return fail(res.status === 404 ? 404 : 400, { errors: fieldErrors(res.body) });
    return { saved: true };
  },
  /** Take the room from the bot: a person answers from now on (the server assigns it to me if unassigned). */
  takeOverBot: async (event) => {
    const res = await api<{ handedOff: boolean }>(event, 'POST', `/conversations/${event.params.id}/take-over`);
    if (res.status !== 200)
      return fail(res.status === 404 ? 404 : 400, {
        botError: Object.values(fieldErrors(res.body)).join(' ') || 'Could not take over.',
      });
    return { tookOver: true, handedOff: res.body.handedOff };
  },
  /** Reply or note without JavaScript (with it, the composer sends over the socket instead). */
  reply: async (event) => {
    const form = await event.request.formData();
    const body = String(form.get('body') ?? '').trim();
    if (!body) return fail(400, { replyError: 'Write something first.' });
    const res = await api(event, 'POST', `/conversations/${event.params.id}/messages`, {
      body: escapeText(body),
      private: form.get('private') === 'on',
      clientId: String(form.get('clientId') || crypto.randomUUID()),
    });
    if (res.status >= 300) return fail(400, { replyError: Object.values(fieldErrors(res.body)).join(' ') });
    return { replied: true };
  },
};

function escapeText(s: string): string {
  return s
    .split(/\n{2,}/)
    .map((p) => `<p>${p.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`).replace(/\n/g, '<br>')}</p>`)
    .join('');
}
