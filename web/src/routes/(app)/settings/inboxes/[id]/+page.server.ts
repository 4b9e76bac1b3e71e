import type { InboxRetention, WidgetSettings } from '@autocrm/shared';
import { error, fail } from '@sveltejs/kit';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import { fieldErrors, text } from '$lib/server/form-errors';
import { t } from '$lib/strings';
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
  const messenger =
    inbox.channel === 'messenger' ? await client.GET('/inboxes/{id}/messenger', { params: { path: { id: inbox.id } } }) : null;
  // SMS, WhatsApp and Messenger inboxes: whether the bot answers first (admins only; off by default).
  const messagingBot =
    ['sms', 'whatsapp', 'messenger'].includes(inbox.channel) && event.locals.user?.role === 'admin'
      ? await client.GET('/inboxes/{id}/messaging-bot', { params: { path: { id: inbox.id } } })
      : null;
  // Retention overrides are an admin API: agents see no card.
  const retention =
    event.locals.user?.role === 'admin'
      ? await client.GET('/admin/inboxes/{id}/retention', { params: { path: { id: inbox.id } } })
      : null;
  return {
    retention: retention?.data ?? null,
    messagingBot: messagingBot?.data ?? null,
    inbox,
    messenger: messenger?.data ?? null,
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

/**
 * A days field of the retention form: undefined when its "use the workspace default" box is ticked (the
 * override is left out), null when empty (keep forever), else the number as typed so the API judges its
 * range. 'bad' for text that is no number (a plain form without the browser's number check).
 */
function retentionDays(form: FormData, name: string): number | null | undefined | 'bad' {
  if (form.get(`${name}Default`) === 'on') return undefined;
  const v = String(form.get(name) ?? '').trim();
  if (v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : 'bad';
}

export const actions: Actions = {
  retention: async (event) => {
    const form = await event.request.formData();
    const archive = retentionDays(form, 'archiveAfterDays');
    const conversations = retentionDays(form, 'conversationsAfterDays');
    const attachments = retentionDays(form, 'attachmentsAfterDays');
    // What was typed goes back with an error, so the page without JavaScript shows it rather than the stored values.
    const retentionInput = Object.fromEntries([...form].map(([k, v]) => [k, String(v)]));
    if ([archive, conversations, attachments].includes('bad'))
      return fail(400, { retentionError: t.inboxSettings.retentionBadNumber, retentionInput });
    const body: InboxRetention = {};
    if (archive !== undefined) body.archiveAfterDays = archive as number | null;
    if (conversations !== undefined)
      body.conversations = {
        afterDays: conversations as number | null,
        action: form.get('conversationsAction') === 'delete' ? 'delete' : 'anonymize',
      };
    if (attachments !== undefined) body.attachmentsAfterDays = attachments as number | null;
    const { data, error, response } = await apiClient(event).PUT('/admin/inboxes/{id}/retention', {
      params: { path: { id: event.params.id } },
      body,
    });
    if (!data)
      return fail(response.status === 403 ? 403 : 400, {
        retentionError: apiErrorMessage(error, response.status),
        retentionInput,
      });
    return { retentionSaved: true };
  },
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
      typingPreview: on('typingPreview'),
      features: { csat: on('csat'), history: on('history'), emailCapture: on('emailCapture'), attachments: on('attachments') },
      preChatForm: { ...current, enabled: on('preChat'), requireEmail: on('requireEmail') },
    };
    for (const k of Object.keys(body) as (keyof WidgetSettings)[]) if (body[k] === undefined) delete body[k];
    const { data, error, response } = await client.PATCH('/inboxes/{id}/widget', { params, body });
    if (!data) return fail(response.status === 403 ? 403 : 400, { widget: { errors: fieldErrors(error, response.status) } });
    return { saved: 'widget' };
  },
  messagingBot: async (event) => {
    const form = await event.request.formData();
    const { data, error, response } = await apiClient(event).PUT('/inboxes/{id}/messaging-bot', {
      params: { path: { id: event.params.id } },
      body: { enabled: form.get('enabled') === 'on' },
    });
    if (!data) return fail(response.status === 403 ? 403 : 400, { botError: apiErrorMessage(error, response.status) });
    return { saved: 'bot' };
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
  messenger: async (event) => {
    const form = await event.request.formData();
    const ig = text(form, 'instagramAccountId');
    const body = {
      ...(text(form, 'pageId') ? { pageId: text(form, 'pageId') } : {}),
      instagramAccountId: ig ?? null,
      ...(text(form, 'pageAccessToken') ? { pageAccessToken: text(form, 'pageAccessToken') } : {}),
      ...(text(form, 'appSecret') ? { appSecret: text(form, 'appSecret') } : {}),
    };
    const { data, error, response } = await apiClient(event).PATCH('/inboxes/{id}/messenger', {
      params: { path: { id: event.params.id } },
      body,
    });
    if (!data) return fail(response.status === 403 ? 403 : 400, { messenger: { errors: fieldErrors(error, response.status) } });
    return { saved: 'messenger' };
  },
  rotate: async (event) => {
    const { data, error, response } = await apiClient(event).POST('/inboxes/{id}/widget/rotate-identity-secret', {
      params: { path: { id: event.params.id } },
    });
    if (!data) return fail(400, { widget: { errors: fieldErrors(error, response.status) } });
    return { saved: 'secret' };
  },
};
