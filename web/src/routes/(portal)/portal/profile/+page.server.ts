import { stringsFor } from '@autocrm/shared/strings';
import { fail, redirect } from '@sveltejs/kit';
import { PORTAL_COOKIE, portalApi, requireCustomer } from '$lib/server/portal';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requireCustomer(event);
  const api = portalApi(event);
  const [prefs, key] = await Promise.all([api.GET('/portal/me/notifications'), api.GET('/portal/push/public-key')]);
  return {
    pushKey: key.data?.publicKey ?? null,
    prefs: prefs.data ?? { emailReplies: true, emailStatus: true, push: false },
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
    const { error, response } = await portalApi(event).PATCH('/portal/me', {
      body: { ...(name ? { name } : {}), locale: locale || null },
    });
    if (!response.ok) return fail(400, { which: 'profile', error: error?.error?.message });
    return { which: 'profile', saved: true };
  },
  notifications: async (event) => {
    const form = await event.request.formData();
    const prefs = {
      emailReplies: form.get('emailReplies') === 'on',
      emailStatus: form.get('emailStatus') === 'on',
      push: form.get('push') === 'on',
    };
    const { error, response } = await portalApi(event).PUT('/portal/me/notifications', { body: prefs });
    if (!response.ok) return fail(400, { which: 'notifications', error: error?.error?.message });
    return { which: 'notifications', saved: true, prefs };
  },
  password: async (event) => {
    const form = await event.request.formData();
    const { error, response } = await portalApi(event).PUT('/portal/me/password', {
      body: { password: String(form.get('password') ?? '') },
    });
    if (!response.ok) {
      const s = stringsFor('portal', event.request.headers.get('accept-language'));
      return fail(400, { which: 'password', error: error?.error?.issues?.[0]?.message ?? s.failed });
    }
    return { which: 'password', saved: true };
  },
  removePassword: async (event) => {
    await portalApi(event).DELETE('/portal/me/password');
    return { which: 'password', saved: true };
  },
  signOut: async (event) => {
    await portalApi(event).POST('/portal/sign-out');
    signedOut(event);
  },
  signOutEverywhere: async (event) => {
    await portalApi(event).POST('/portal/sign-out/everywhere');
    signedOut(event);
  },
};
