import { EVENT_TYPES } from '@autocrm/shared';
import { fail } from '@sveltejs/kit';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import { fieldErrors, text } from '$lib/server/form-errors';
import type { Actions, PageServerLoad } from './$types';

type EventFilter = (typeof EVENT_TYPES)[number] | '*';
const RECENT = 10;

export const load: PageServerLoad = async (event) => {
  const client = apiClient(event);
  const { data, error, response } = await client.GET('/webhooks');
  const hooks = data?.data ?? [];
  // A handful of subscriptions at most: their recent deliveries are fetched side by side.
  const logs = await Promise.all(
    hooks.map((h) => client.GET('/webhooks/{id}/deliveries', { params: { path: { id: h.id }, query: { limit: RECENT } } })),
  );
  return {
    webhooks: hooks.map((h, i) => ({ ...h, deliveries: logs[i]?.data?.data ?? [] })),
    eventTypes: EVENT_TYPES,
    listError: error ? apiErrorMessage(error, response.status) : null,
  };
};

const eventsOf = (form: FormData): EventFilter[] => {
  const all = form.getAll('events').map(String);
  return (all.includes('*') ? ['*'] : all.filter((e) => (EVENT_TYPES as readonly string[]).includes(e))) as EventFilter[];
};

export const actions: Actions = {
  create: async (event) => {
    const form = await event.request.formData();
    const values = { url: text(form, 'url') ?? '', events: eventsOf(form), description: text(form, 'description') };
    const { data, error, response } = await apiClient(event).POST('/webhooks', { body: values });
    if (!data) return fail(400, { create: { values, errors: fieldErrors(error, response.status) } });
    // The secret is in this response only: shown once on the page, never stored by the web app.
    return { created: { url: data.url, secret: data.secret } };
  },
  toggle: async (event) => {
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    const { data, error, response } = await apiClient(event).PATCH('/webhooks/{id}', {
      params: { path: { id } },
      body: { active: form.get('active') === 'true' },
    });
    if (!data) return fail(400, { rowError: apiErrorMessage(error, response.status), id });
    return { toggled: data.active ? 'on' : 'paused' };
  },
  test: async (event) => {
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    const { data, error, response } = await apiClient(event).POST('/webhooks/{id}/test', { params: { path: { id } } });
    if (!data) return fail(400, { rowError: apiErrorMessage(error, response.status), id });
    return { tested: id };
  },
  rotate: async (event) => {
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    const { data, error, response } = await apiClient(event).POST('/webhooks/{id}/rotate-secret', { params: { path: { id } } });
    if (!data) return fail(400, { rowError: apiErrorMessage(error, response.status), id });
    return { rotated: { url: data.url, secret: data.secret } };
  },
  redeliver: async (event) => {
    const form = await event.request.formData();
    const id = String(form.get('delivery') ?? '');
    const { data, error, response } = await apiClient(event).POST('/webhook-deliveries/{id}/redeliver', {
      params: { path: { id } },
    });
    if (!data) return fail(400, { rowError: apiErrorMessage(error, response.status), id });
    return { redelivered: id };
  },
  delete: async (event) => {
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    const { error, response } = await apiClient(event).DELETE('/webhooks/{id}', { params: { path: { id } } });
    if (!response.ok) return fail(400, { rowError: apiErrorMessage(error, response.status), id });
    return { deleted: true };
  },
};
