import { fail, redirect } from '@sveltejs/kit';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import { fieldErrors, text } from '$lib/server/form-errors';
import type { Actions, PageServerLoad } from './$types';

const CHANNELS = ['web', 'email', 'api', 'sms', 'whatsapp', 'messenger', 'social'] as const;
type Channel = (typeof CHANNELS)[number];

export const load: PageServerLoad = async (event) => {
  const client = apiClient(event);
  const [inboxes, users] = await Promise.all([client.GET('/inboxes'), client.GET('/users')]);
  return {
    inboxes: inboxes.data?.data ?? [],
    users: users.data?.data ?? [],
    listError: inboxes.error ? apiErrorMessage(inboxes.error, inboxes.response.status) : null,
    canManage: event.locals.user?.role === 'admin',
  };
};

export const actions: Actions = {
  create: async (event) => {
    const form = await event.request.formData();
    const channel = String(form.get('channel'));
    const values = {
      name: text(form, 'name') ?? '',
      channel: ((CHANNELS as readonly string[]).includes(channel) ? channel : 'web') as Channel,
      members: form.getAll('members').map(String),
    };
    const { data, error, response } = await apiClient(event).POST('/inboxes', { body: values });
    if (!data)
      return fail(response.status === 403 ? 403 : 400, { create: { values, errors: fieldErrors(error, response.status) } });
    redirect(303, `/settings/inboxes/${data.id}?created=1`);
  },
};
