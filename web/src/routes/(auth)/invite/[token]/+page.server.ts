import { fail, redirect } from '@sveltejs/kit';
import { api } from '$lib/server/api';
import { carrySessionCookie } from '$lib/server/carry-session';
import type { Actions, PageServerLoad } from './$types';

const DEAD: Record<string, string> = {
  link_expired: 'This invitation has expired. Ask your admin to send it again.',
  link_invalid: 'This invitation link was used already, replaced by a newer one, or revoked.',
};

export const load: PageServerLoad = async (event) => {
  const res = await api(event, 'GET', `/auth/invitations/${encodeURIComponent(event.params.token)}`, undefined, {
    anonymous: true,
  });
  if (res.status !== 200) return { invitation: null, dead: DEAD[res.body?.error?.code] ?? DEAD.link_invalid! };
  return {
    invitation: res.body as { email: string; name: string | null; role: string; invitedBy: string | null; expiresAt: string },
    dead: null,
  };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const name = String(form.get('name') ?? '').trim();
    const password = String(form.get('password') ?? '');
    const res = await api(
      event,
      'POST',
      '/auth/invitations/accept',
      { token: event.params.token, name, password },
      { anonymous: true },
    );
    if (res.status === 200 && res.body.status === 'signed_in' && carrySessionCookie(event, res.headers)) redirect(303, '/inbox');
    // The role requires two-factor: the account exists; the sign-in page walks through the enrolment.
    if (res.status === 200) redirect(303, '/login');
    const code = res.body?.error?.code;
    if (DEAD[code]) return fail(400, { name, error: DEAD[code] });
    return fail(400, {
      name,
      error: res.body?.error?.issues?.[0]?.message ?? res.body?.error?.message ?? 'Something went wrong.',
    });
  },
};
