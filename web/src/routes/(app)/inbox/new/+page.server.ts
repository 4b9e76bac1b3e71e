import { fail, redirect } from '@sveltejs/kit';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import type { Actions, PageServerLoad } from './$types';

/**
 * "New conversation": an agent writes first, to a contact by email or in a chat inbox to a contact
 * who used its widget. The contact is found by search (`?q=`) or typed as a new email address.
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
  const usable = (inboxes.data?.data ?? []).filter(
    (i) => (i.channel === 'email' || i.channel === 'web') && (user?.role !== 'agent' || i.members.includes(user.id)),
  );
  return {
    inboxes: usable.map((i) => ({ id: i.id, name: i.name, channel: i.channel })),
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
    const values = {
      inboxId: text('inboxId'),
      contactId,
      email,
      name: text('name'),
      subject: text('subject'),
      body: text('body'),
    };
    if (!values.body) return fail(400, { ...values, error: 'Write the first message.' });
    if (!contactId && !email) return fail(400, { ...values, error: 'Pick a contact or type an email address.' });
    // The editor is plain text here: each line becomes a paragraph (the API sanitizes HTML anyway).
    const html = values.body
      .split(/\n{2,}/)
      .map((p) => `<p>${p.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`).replace(/\n/g, '<br>')}</p>`)
      .join('');
    const { data, error, response } = await apiClient(event).POST('/conversations/start', {
      body: {
        inboxId: values.inboxId,
        ...(contactId ? { contactId } : { contact: { email, ...(values.name ? { name: values.name } : {}) } }),
        ...(values.subject ? { subject: values.subject } : {}),
        body: html,
      },
    });
    if (!data) return fail(response.status, { ...values, error: apiErrorMessage(error, response.status) });
    redirect(303, `/inbox/${data.id}`);
  },
};
