import { error, fail } from '@sveltejs/kit';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import { fieldErrors, text } from '$lib/server/form-errors';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const client = apiClient(event);
  const id = event.params.id;
  const [contact, conversations, fields] = await Promise.all([
    client.GET('/contacts/{id}', { params: { path: { id } } }),
    client.GET('/conversations', { params: { query: { contact: id, limit: 50, sort: 'last_activity_at', order: 'desc' } } }),
    client.GET('/custom-fields'),
  ]);
  // Not visible to this agent and not there look the same (the API answers 404 for both).
  if (!contact.data) error(contact.response.status === 404 ? 404 : 502, apiErrorMessage(contact.error, contact.response.status));
  return {
    contact: contact.data,
    conversations: conversations.data?.data ?? [],
    moreConversations: Boolean(conversations.data?.nextCursor),
    fields: fields.data?.data ?? [],
  };
};

/** A typed attribute value: numbers and true/false as such, the rest as text. */
const typed = (v: string): string | number | boolean =>
  v === 'true' ? true : v === 'false' ? false : /^-?\d+(\.\d+)?$/.test(v) && v.length < 16 ? Number(v) : v;

export const actions: Actions = {
  update: async (event) => {
    const form = await event.request.formData();
    const opt = (name: string) => text(form, name) ?? null;
    const body = { name: opt('name'), email: opt('email'), phone: opt('phone'), externalId: text(form, 'externalId') };
    const { data, error, response } = await apiClient(event).PATCH('/contacts/{id}', {
      params: { path: { id: event.params.id } },
      body,
    });
    if (!data) return fail(400, { update: { errors: fieldErrors(error, response.status) } });
    return { saved: true };
  },
  attribute: async (event) => {
    const form = await event.request.formData();
    const key = text(form, 'key') ?? '';
    const remove = form.get('remove') === 'true';
    const value = remove ? null : typed(String(form.get('value') ?? '').trim());
    const { data, error, response } = await apiClient(event).PATCH('/contacts/{id}', {
      params: { path: { id: event.params.id } },
      body: { attributes: { [key]: value } },
    });
    if (!data) return fail(400, { attribute: { errors: fieldErrors(error, response.status) } });
    return { attributeSaved: key };
  },
};
