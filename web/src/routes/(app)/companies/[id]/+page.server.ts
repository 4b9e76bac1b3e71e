import { error, fail, redirect } from '@sveltejs/kit';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import { fieldErrors, text } from '$lib/server/form-errors';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const client = apiClient(event);
  const id = event.params.id;
  const [company, contacts, conversations] = await Promise.all([
    client.GET('/companies/{id}', { params: { path: { id } } }),
    client.GET('/companies/{id}/contacts', { params: { path: { id } } }),
    client.GET('/companies/{id}/conversations', {
      params: { path: { id }, query: { limit: 50, archived: 'all', sort: 'last_activity_at', order: 'desc' } },
    }),
  ]);
  if (!company.data) error(company.response.status === 404 ? 404 : 502, apiErrorMessage(company.error, company.response.status));
  return {
    company: company.data,
    contacts: contacts.data?.data ?? [],
    conversations: conversations.data?.data ?? [],
    moreConversations: Boolean(conversations.data?.nextCursor),
  };
};

export const actions: Actions = {
  update: async (event) => {
    const form = await event.request.formData();
    const body = { name: text(form, 'name') ?? '', domain: text(form, 'domain') ?? null, notes: String(form.get('notes') ?? '') };
    const { data, error, response } = await apiClient(event).PATCH('/companies/{id}', {
      params: { path: { id: event.params.id } },
      body,
    });
    if (!data) return fail(400, { update: { errors: fieldErrors(error, response.status) } });
    return { saved: true };
  },
  remove: async (event) => {
    const { error, response } = await apiClient(event).DELETE('/companies/{id}', { params: { path: { id: event.params.id } } });
    if (!response.ok) return fail(400, { update: { errors: fieldErrors(error, response.status) } });
    redirect(303, '/companies');
  },
};
