import { stringsFor } from '@autocrm/shared/strings';
import { fail, redirect } from '@sveltejs/kit';
import { PORTAL_COOKIE, portalApi, requireCustomer } from '$lib/server/portal';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireCustomer(event);
  const [prefs, key] = await Promise.all([
    portalApi(event, 'GET', '/me/notifications'),
    portalApi<{ publicKey: string }>(event, 'GET', '/push/public-key'),
  ]);
  return {
    pushKey: key.status === 200 ? key.body.publicKey : null,
    prefs: (prefs.status === 200 ? prefs.body : { emailReplies: true, emailStatus: true, push: false }) as {
      emailReplies: boolean;
      emailStatus: boolean;
      push: boolean;
    },
  };
};

const signedOut = (event: Parameters<Actions[string]>[0]) => {
  event.cookies.delete(PORTAL_COOKIE, { path: '/portal' });
  redirect(303, '/portal/sign-in');
};

export const actions: Actions = {
  profile: async (event) => {
    const form = await event.request.formData();
    const name = String(form.get('name') ?? '').trim();
    const locale = String(form.get('locale') ?? '');
    const res = await portalApi(event, 'PATCH', '/me', { ...(name ? { name } : {}), locale: locale || null });
    if (res.status !== 200) return fail(400, { which: 'profile', error: res.body?.error?.message });
    return { which: 'profile', saved: true };
  },
  notifications: async (event) => {
    const form = await event.request.formData();
    const prefs = {
      emailReplies: form.get('emailReplies') === 'on',
      emailStatus: form.get('emailStatus') === 'on',
      push: form.get('push') === 'on',
    };
    const res = await portalApi(event, 'PUT', '/me/notifications', prefs);
    if (res.status !== 200) return fail(400, { which: 'notifications', error: res.body?.error?.message });
    return { which: 'notifications', saved: true, prefs };
  },
  password: async (event) => {
    const form = await event.request.formData();
    const res = await portalApi(event, 'PUT', '/me/password', { password: String(form.get('password') ?? '') });
    if (res.status !== 200) {
      const s = stringsFor('portal', event.request.headers.get('accept-language'));
      return fail(400, { which: 'password', error: res.body?.error?.issues?.[0]?.message ?? s.failed });
    }
    return { which: 'password', saved: true };
  },
  removePassword: async (event) => {
    await portalApi(event, 'DELETE', '/me/password');
    return { which: 'password', saved: true };
  },
  signOut: async (event) => {
    await portalApi(event, 'POST', '/sign-out');
    signedOut(event);
  },
  signOutEverywhere: async (event) => {
    await portalApi(event, 'POST', '/sign-out/everywhere');
    signedOut(event);
  },
};
