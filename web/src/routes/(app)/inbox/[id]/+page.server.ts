import type { components } from '@autocrm/shared/api-types';
import { error, fail } from '@sveltejs/kit';
import { fieldErrors } from '$lib/server/api';
import { apiClient } from '$lib/server/client';
import { addContactNoteAction, deleteContactNoteAction } from '$lib/server/contact-notes';
import { withContacts } from '$lib/server/contacts';
import type { Actions, PageServerLoad } from './$types';

type CustomFieldDef = components['schemas']['CustomFieldDefinition'];
type ConversationUpdate = components['schemas']['ConversationUpdate'];

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
  const [messages, contact, previous, users, statuses, fields, history, teams, tags, macros, features, notes] = await Promise.all(
    [
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
      client.GET('/features'),
      client.GET('/contacts/{id}/notes', { params: { path: { id: c.contactId } } }),
    ],
  );
  return {
    conversation: c,
    messages: messages.data?.data ?? [],
    pageSize: PAGE,
    contact: contact.data ?? null,
    contactNotes: notes.data?.data ?? [],
    previous: previous.data ? await withContacts(event, previous.data.data.filter((p) => p.id !== c.id).slice(0, 10)) : [],
    users: users.data?.data ?? [],
    statuses: statuses.data?.data ?? [],
    customFields: fields.data?.data ?? [],
    statusHistory: history.data?.data ?? [],
    teams: teams.data?.data ?? [],
    tags: tags.data?.data ?? [],
    macros: macros.data?.data ?? [],
    /** An LLM is configured: customer messages get a Translate button. */
    canTranslate: features.data?.translation ?? false,
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
  contactNote: addContactNoteAction,
  contactNoteDelete: deleteContactNoteAction,
  /** In-place ticket edits (status, priority, assignee, team, tags, custom fields): one PATCH. */
  update: async (event) => {
    const form = await event.request.formData();
    const update: ConversationUpdate = {};
    const str = (k: string) => (form.has(k) ? String(form.get(k)) : undefined);
    if (str('statusId')) update.statusId = str('statusId');
    // The select offers the API's priorities; the server refuses anything else.
    if (str('priority')) update.priority = str('priority') as ConversationUpdate['priority'];
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
      const defs = await apiClient(event).GET('/custom-fields');
      update.customFields = Object.fromEntries(
        cf.map((key) => [
          key,
          customValue(
            defs.data?.data?.find((d) => d.key === key),
            form.get(`cf_${key}`),
            form.getAll(`cf_${key}`),
          ),
        ]),
      );
    }
    const { error, response } = await apiClient(event).PATCH('/conversations/{id}', {
      params: { path: { id: event.params.id } },
      body: update,
    });
    if (!response.ok) return fail(response.status === 404 ? 404 : 400, { errors: fieldErrors(error) });
    return { saved: true };
  },
  /** Take the room from the bot: a person answers from now on (the server assigns it to me if unassigned). */
  takeOverBot: async (event) => {
    const { data, error, response } = await apiClient(event).POST('/conversations/{id}/take-over', {
      params: { path: { id: event.params.id } },
    });
    if (!data)
      return fail(response.status === 404 ? 404 : 400, {
        botError: Object.values(fieldErrors(error)).join(' ') || 'Could not take over.',
      });
    return { tookOver: true, handedOff: data.handedOff };
  },
  /** Reply or note without JavaScript (with it, the composer sends over the socket instead). */
  reply: async (event) => {
    const form = await event.request.formData();
    const body = String(form.get('body') ?? '').trim();
    if (!body) return fail(400, { replyError: 'Write something first.' });
    const { error, response } = await apiClient(event).POST('/conversations/{id}/messages', {
      params: { path: { id: event.params.id } },
      body: {
        body: escapeText(body),
        private: form.get('private') === 'on',
        clientId: String(form.get('clientId') || crypto.randomUUID()),
      },
    });
    if (!response.ok) return fail(400, { replyError: Object.values(fieldErrors(error)).join(' ') });
    return { replied: true };
  },
};

function escapeText(s: string): string {
  return s
    .split(/\n{2,}/)
    .map((p) => `<p>${p.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`).replace(/\n/g, '<br>')}</p>`)
    .join('');
}
