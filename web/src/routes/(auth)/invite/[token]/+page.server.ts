import { fail, redirect } from '@sveltejs/kit';
import { carrySessionCookie } from '$lib/server/carry-session';
import { apiClient } from '$lib/server/client';
import type { Actions, PageServerLoad } from './$types';

const DEAD: Record<string, string> = {
  link_expired: 'This invitation has expired. Ask your admin to send it again.',
  link_invalid: 'This invitation link was used already, replaced by a newer one, or revoked.',
};

export const load: PageServerLoad = async (event) => {
  const { data, error } = await apiClient(event, { anonymous: true }).GET('/auth/invitations/{token}', {
    params: { path: { token: event.params.token } },
  });
  if (!data) return { invitation: null, dead: DEAD[error?.error.code ?? ''] ?? DEAD.link_invalid! };
  return { invitation: data, dead: null };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const name = String(form.get('name') ?? '').trim();
    const password = String(form.get('password') ?? '');
    const { data, error, response } = await apiClient(event, { anonymous: true }).POST('/auth/invitations/accept', {
      body: { token: event.params.token, name, password },
    });
    if (data?.status === 'signed_in' && carrySessionCookie(event, response.headers)) redirect(303, '/inbox');
    // The role requires two-factor: the account exists; the sign-in page walks through the enrolment.
    if (data) redirect(303, '/login');
    const dead = DEAD[error?.error.code ?? ''];
    if (dead) return fail(400, { name, error: dead });
    return fail(400, {
      name,
      error: error?.error.issues?.[0]?.message ?? error?.error.message ?? 'Something went wrong.',
    });
  },
};
