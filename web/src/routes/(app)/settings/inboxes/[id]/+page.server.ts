import type { WidgetSettings } from '@autocrm/shared';
import { error, fail } from '@sveltejs/kit';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import { fieldErrors, text } from '$lib/server/form-errors';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const client = apiClient(event);
  const [inboxes, users] = await Promise.all([client.GET('/inboxes'), client.GET('/users')]);
  const inbox = inboxes.data?.data.find((i) => i.id === event.params.id);
  if (!inbox) error(404, 'No such inbox.');
  const widget =
    inbox.channel === 'web' ? await client.GET('/inboxes/{id}/widget', { params: { path: { id: inbox.id } } }) : null;
  const sms = inbox.channel === 'sms' ? await client.GET('/inboxes/{id}/sms', { params: { path: { id: inbox.id } } }) : null;
  const whatsapp =
    inbox.channel === 'whatsapp' ? await client.GET('/inboxes/{id}/whatsapp', { params: { path: { id: inbox.id } } }) : null;
  return {
    inbox,
    users: users.data?.data ?? [],
    widget: widget?.data ?? null,
    sms: sms?.data ?? null,
    whatsapp: whatsapp?.data ?? null,
    widgetError: widget?.error ? apiErrorMessage(widget.error, widget.response.status) : null,
    canManage: event.locals.user?.role === 'admin',
    // The snippet points at the address this page was opened on: the server that serves /widget.js.
    origin: event.url.origin,
    created: event.url.searchParams.has('created'),
  };
};

export const actions: Actions = {
  update: async (event) => {
    const form = await event.request.formData();
    const body = { name: text(form, 'name') ?? '', members: form.getAll('members').map(String) };
    const { data, error, response } = await apiClient(event).PATCH('/inboxes/{id}', {
      params: { path: { id: event.params.id } },
      body,
    });
    if (!data) return fail(response.status === 403 ? 403 : 400, { update: { errors: fieldErrors(error, response.status) } });
    return { saved: 'inbox' };
  },
  widget: async (event) => {
    const form = await event.request.formData();
    const on = (name: string) => form.get(name) === 'on';
    const client = apiClient(event);
    const params = { path: { id: event.params.id } };
    // Pre-chat questions are set through the API; this form keeps them while switching the form on or off.
    const current = (await client.GET('/inboxes/{id}/widget', { params })).data?.settings.preChatForm;
    const body: WidgetSettings = {
      title: text(form, 'title'),
      greeting: String(form.get('greeting') ?? '').trim(),
      color: text(form, 'color'),
      position: form.get('position') === 'left' ? 'left' : 'right',
      businessHours: String(form.get('businessHours') ?? '').trim(),
      replyTime: String(form.get('replyTime') ?? '').trim(),
      identityRequired: on('identityRequired'),
      features: { csat: on('csat'), history: on('history'), emailCapture: on('emailCapture'), attachments: on('attachments') },
      preChatForm: { ...current, enabled: on('preChat'), requireEmail: on('requireEmail') },
    };
    for (const k of Object.keys(body) as (keyof WidgetSettings)[]) if (body[k] === undefined) delete body[k];
    const { data, error, response } = await client.PATCH('/inboxes/{id}/widget', { params, body });
    if (!data) return fail(response.status === 403 ? 403 : 400, { widget: { errors: fieldErrors(error, response.status) } });
    return { saved: 'widget' };
  },
  sms: async (event) => {
    const form = await event.request.formData();
    const optional = (name: string) => text(form, name) ?? null;
    const token = text(form, 'authToken');
    const body = {
      ...(text(form, 'accountSid') ? { accountSid: text(form, 'accountSid') } : {}),
      ...(token ? { authToken: token } : {}),
      from: optional('from'),
      messagingServiceSid: optional('messagingServiceSid'),
    };
    const { data, error, response } = await apiClient(event).PATCH('/inboxes/{id}/sms', {
      params: { path: { id: event.params.id } },
      body,
    });
    if (!data) return fail(response.status === 403 ? 403 : 400, { sms: { errors: fieldErrors(error, response.status) } });
    return { saved: 'sms' };
  },
  whatsapp: async (event) => {
    const form = await event.request.formData();
    let templates: unknown = [];
    try {
      templates = JSON.parse(String(form.get('templates') ?? '[]'));
    } catch {
      return fail(400, { whatsapp: { errors: { templates: 'The templates could not be read' } } });
    }
    const body = {
      ...(text(form, 'phoneNumberId') ? { phoneNumberId: text(form, 'phoneNumberId') } : {}),
      ...(text(form, 'accessToken') ? { accessToken: text(form, 'accessToken') } : {}),
      ...(text(form, 'appSecret') ? { appSecret: text(form, 'appSecret') } : {}),
      templates: templates as { name: string; language: string; body: string }[],
    };
    const { data, error, response } = await apiClient(event).PATCH('/inboxes/{id}/whatsapp', {
      params: { path: { id: event.params.id } },
      body,
    });
    if (!data) return fail(response.status === 403 ? 403 : 400, { whatsapp: { errors: fieldErrors(error, response.status) } });
    return { saved: 'whatsapp' };
  },
  rotate: async (event) => {
    const { data, error, response } = await apiClient(event).POST('/inboxes/{id}/widget/rotate-identity-secret', {
      params: { path: { id: event.params.id } },
    });
    if (!data) return fail(400, { widget: { errors: fieldErrors(error, response.status) } });
    return { saved: 'secret' };
  },
};
