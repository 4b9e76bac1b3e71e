import { safeNext } from '@autocrm/shared';
import { stringsFor } from '@autocrm/shared/strings';
import { fail, redirect } from '@sveltejs/kit';
import { portalApi, setPortalCookie } from '$lib/server/portal';
import type { Actions } from './$types';

const nextOf = (url: URL) => {
  const next = safeNext(url.searchParams.get('next'));
  return next.startsWith('/portal') ? next : '/portal';
};

export const actions: Actions = {
  /** "Email me a link": the same answer for every address (the API's), unless rate-limited. */
  link: async (event) => {
    const form = await event.request.formData();
    const email = String(form.get('email') ?? '').trim();
    const s = stringsFor('portal', event.request.headers.get('accept-language'));
    const { error, response } = await portalApi(event).POST('/portal/sign-in/link', { body: { email } });
    if (response.status === 429) return fail(429, { email, error: s.tooMany });
    if (response.status === 400) return fail(400, { email, error: error?.error.message ?? s.failed });
    return { email, sent: true };
  },
  password: async (event) => {
    const form = await event.request.formData();
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    const s = stringsFor('portal', event.request.headers.get('accept-language'));
    const { data, response } = await portalApi(event).POST('/portal/sign-in/password', { body: { email, password } });
    if (response.status === 429) return fail(429, { email, passwordError: s.tooMany });
    if (!data) return fail(400, { email, passwordError: s.wrongPassword });
    setPortalCookie(event, data);
    redirect(303, nextOf(event.url));
  },
};
