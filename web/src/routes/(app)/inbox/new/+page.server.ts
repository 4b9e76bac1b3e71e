import { fail, redirect } from '@sveltejs/kit';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import type { Actions, PageServerLoad } from './$types';

/**
 * "New conversation": an agent writes first, to a contact by email or in a chat inbox to a contact
 * who used its widget, or logs a phone call or walk-in that already happened (`?kind=phone|walk_in`).
 * The contact is found by search (`?q=`) or typed as a new one.
 */
export const load: PageServerLoad = async (event) => {
  const client = apiClient(event);
  const q = event.url.searchParams.get('q')?.trim() ?? '';
  const contactId = event.url.searchParams.get('contactId') ?? '';
  const [inboxes, found, picked] = await Promise.all([
    client.GET('/inboxes'),
    q ? client.GET('/contacts', { params: { query: { q, limit: 10 } } }) : Promise.resolve(undefined),
    contactId ? client.GET('/contacts/{id}', { params: { path: { id: contactId } } }) : Promise.resolve(undefined),
  ]);
  const user = event.locals.user;
  // Agents start conversations in the inboxes they work; supervisors and admins in any.
  const worked = (inboxes.data?.data ?? []).filter((i) => user?.role !== 'agent' || i.members.includes(user.id));
  const usable = worked.filter((i) => i.channel === 'email' || i.channel === 'web');
  return {
    inboxes: usable.map((i) => ({ id: i.id, name: i.name, channel: i.channel })),
    // A logged call or visit goes in any inbox the agent works (for its team and reports).
    logInboxes: worked.map((i) => ({ id: i.id, name: i.name, channel: i.channel })),
    kind: (['phone', 'walk_in'] as const).find((k) => k === event.url.searchParams.get('kind')) ?? 'message',
    q,
    contacts: [...(picked?.data ? [picked.data] : []), ...(found?.data?.data ?? []).filter((c) => c.id !== contactId)],
    contactId,
  };
};

export const actions: Actions = {
  start: async (event) => {
    const form = await event.request.formData();
    const text = (k: string) => String(form.get(k) ?? '').trim();
    const contactId = text('contactId');
    const email = text('email');
    const kind = text('kind');
    const loggedVia = kind === 'phone' || kind === 'walk_in' ? kind : undefined;
    const values = {
      kind: loggedVia ?? 'message',
      phone: text('phone'),
      inboxId: text('inboxId'),
      contactId,
      email,
      name: text('name'),
      subject: text('subject'),
      body: text('body'),
    };
    if (!values.body) return fail(400, { ...values, error: loggedVia ? 'Write what was said.' : 'Write the first message.' });
    if (loggedVia && !contactId && !email && !values.name && !values.phone)
      return fail(400, { ...values, error: 'Pick a contact, or give a name, phone or email for a new one.' });
    if (!loggedVia && !contactId && !email) return fail(400, { ...values, error: 'Pick a contact or type an email address.' });
    // The editor is plain text here: each line becomes a paragraph (the API sanitizes HTML anyway).
    const html = values.body
      .split(/\n{2,}/)
      .map((p) => `<p>${p.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`).replace(/\n/g, '<br>')}</p>`)
      .join('');
    const { data, error, response } = await apiClient(event).POST('/conversations/start', {
      body: {
        inboxId: values.inboxId,
        ...(contactId
          ? { contactId }
          : {
              contact: {
                ...(email ? { email } : {}),
                ...(values.name ? { name: values.name } : {}),
                ...(values.phone ? { phone: values.phone } : {}),
              },
            }),
        ...(values.subject ? { subject: values.subject } : {}),
        ...(loggedVia ? { loggedVia } : {}),
        body: html,
      },
    });
    if (!data) return fail(response.status, { ...values, error: apiErrorMessage(error, response.status) });
    redirect(303, `/inbox/${data.id}`);
  },
};
