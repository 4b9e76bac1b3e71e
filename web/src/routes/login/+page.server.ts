import { safeNext } from '@autocrm/shared';
import { fail, redirect } from '@sveltejs/kit';
import { api, SESSION_COOKIE } from '$lib/server/api';
import { t } from '$lib/strings';
import type { Actions, PageServerLoad } from './$types';

// Only same-origin relative paths survive (backslash, control and encoded forms fall back).

export const load: PageServerLoad = ({ locals, url }) => {
  if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
  return {};
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const email = String(form.get('email') ?? '');
    const password = String(form.get('password') ?? '');
    const res = await api(event, 'POST', '/auth/login', { email, password });
    if (res.status === 429) return fail(429, { email, error: t.login.rateLimited });
    if (res.status !== 200) return fail(400, { email, error: t.login.failed });
    // The API set the session cookie on its own response: carry it over to the browser.
    const cookie = /autocrm_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
    const maxAge = Number(/Max-Age=(\d+)/i.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? 0) || undefined;
    if (!cookie) return fail(500, { email, error: t.errors.generic });
    event.cookies.set(SESSION_COOKIE, cookie, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: event.url.protocol === 'https:',
      ...(maxAge ? { maxAge } : {}),
    });
    redirect(303, safeNext(event.url.searchParams.get('next')));
  },
};
