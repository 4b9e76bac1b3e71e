import { error, fail } from '@sveltejs/kit';
import type { MenuMacro } from '$lib/components/MacroMenu.svelte';
import { api, fieldErrors } from '$lib/server/api';
import { withContacts } from '$lib/server/contacts';
import type { Contact, Conversation, CustomFieldDef, Message, Status, WorkspaceUser } from '$lib/types';
import type { Actions, PageServerLoad } from './$types';

const PAGE = 50;

export const load: PageServerLoad = async (event) => {
  const id = event.params.id;
  const conv = await api<Conversation>(event, 'GET', `/conversations/${id}`);
  // Agents get 404 for inboxes they do not belong to, same as the API: no hint it exists.
  if (conv.status === 404 || conv.status === 400 || conv.status === 403) error(404, 'Not found');
  if (conv.status !== 200) error(conv.status, 'Could not load the conversation');
  const c = conv.body;
  const [messages, contact, previous, users, statuses, fields, history, teams, tags, macros] = await Promise.all([
    api<{ data: Message[] }>(event, 'GET', `/conversations/${id}/messages?beforeSeq=${c.lastSeq + 1}&limit=${PAGE}`),
    api<Contact>(event, 'GET', `/contacts/${c.contactId}`),
    api<{ data: Conversation[] }>(event, 'GET', `/conversations?contact=${c.contactId}&limit=20`),
    api<{ data: WorkspaceUser[] }>(event, 'GET', '/users'),
    api<{ data: Status[] }>(event, 'GET', '/statuses'),
    api<{ data: CustomFieldDef[] }>(event, 'GET', '/custom-fields'),
    api<{ data: { id: string; fromStatusId: string | null; toStatusId: string; actor: string; at: string }[] }>(
      event,
      'GET',
      `/conversations/${id}/status-history`,
    ),
    api<{ data: { id: string; name: string }[] }>(event, 'GET', '/teams'),
    api<{ data: { id: string; name: string }[] }>(event, 'GET', '/tags'),
    api<{ data: MenuMacro[] }>(event, 'GET', '/macros'),
  ]);
  return {
    conversation: c,
    messages: messages.status === 200 ? messages.body.data : [],
    pageSize: PAGE,
    contact: contact.status === 200 ? contact.body : null,
    previous:
      previous.status === 200 ? await withContacts(event, previous.body.data.filter((p) => p.id !== c.id).slice(0, 10)) : [],
    users: users.status === 200 ? users.body.data : [],
    statuses: statuses.status === 200 ? statuses.body.data : [],
    customFields: fields.status === 200 ? fields.body.data : [],
    statusHistory: history.status === 200 ? history.body.data : [],
    teams: teams.status === 200 ? teams.body.data : [],
    tags: tags.status === 200 ? tags.body.data : [],
    macros: macros.status === 200 ? macros.body.data : [],
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
