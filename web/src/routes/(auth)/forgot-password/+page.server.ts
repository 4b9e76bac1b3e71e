import { fail } from '@sveltejs/kit';
import { apiClient } from '$lib/server/client';
import type { Actions } from './$types';

export const actions: Actions = {
  default: async (event) => {
    const email = String((await event.request.formData()).get('email') ?? '').trim();
    const { response: res } = await apiClient(event, { anonymous: true }).POST('/auth/password-reset', { body: { email } });
    if (res.status === 429) return fail(429, { email, error: 'Too many requests. Wait a while and try again.' });
    if (res.status === 400) return fail(400, { email, error: 'Enter a valid email address.' });
    if (res.status !== 202) return fail(500, { email, error: 'Something went wrong. Try again.' });
    // The same message whether or not the address has an account.
    return { sent: email };
  },
};
