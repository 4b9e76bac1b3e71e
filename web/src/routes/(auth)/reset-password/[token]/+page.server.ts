import { fail, redirect } from '@sveltejs/kit';
import { apiClient } from '$lib/server/client';
import type { Actions } from './$types';

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const password = String(form.get('password') ?? '');
    if (password !== String(form.get('confirm') ?? '')) return fail(400, { error: 'The two passwords differ.' });
    const { error, response } = await apiClient(event, { anonymous: true }).POST('/auth/password-reset/complete', {
      body: { token: event.params.token, password },
    });
    if (response.status === 204) redirect(303, '/login?reset=1');
    const code = error?.error.code;
    if (code === 'link_expired') return fail(410, { dead: 'This link has expired.' });
    if (code === 'link_invalid') return fail(404, { dead: 'This link was used already or replaced by a newer one.' });
    return fail(400, { error: error?.error.issues?.[0]?.message ?? error?.error.message ?? 'Something went wrong.' });
  },
};
