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
    const res = await portalApi(event, 'POST', '/sign-in/link', { email });
    if (res.status === 429) return fail(429, { email, error: s.tooMany });
    if (res.status === 400) return fail(400, { email, error: res.body?.error?.message ?? s.failed });
    return { email, sent: true };
  },
  password: async (event) => {
    const form = await event.request.formData();
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    const s = stringsFor('portal', event.request.headers.get('accept-language'));
    const res = await portalApi(event, 'POST', '/sign-in/password', { email, password });
    if (res.status === 429) return fail(429, { email, passwordError: s.tooMany });
    if (res.status !== 200) return fail(400, { email, passwordError: s.wrongPassword });
    setPortalCookie(event, res.body);
    redirect(303, nextOf(event.url));
  },
};
