import { fail, redirect } from '@sveltejs/kit';
import { multipartBody } from '$lib/api-client';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import { t } from '$lib/strings';
import type { Actions, PageServerLoad } from './$types';

/** The languages a person can pick for the workspace (stored now; the workspace follows it once translated). */
const LANGUAGES = [
  ['', 'Same as my browser'],
  ['en', 'English'],
  ['de', 'Deutsch'],
  ['fr', 'Français'],
  ['es', 'Español'],
  ['it', 'Italiano'],
  ['nl', 'Nederlands'],
  ['pt', 'Português'],
] as const;

export const load: PageServerLoad = async (event) => {
  const client = apiClient(event);
  const [profile, sessions] = await Promise.all([client.GET('/me'), client.GET('/me/sessions')]);
  return { profile: profile.data ?? null, sessions: sessions.data?.data ?? [], languages: LANGUAGES };
};

const issueOf = (error: unknown) => (error as { error?: { issues?: { message: string }[] } })?.error?.issues?.[0]?.message;

export const actions: Actions = {
  profile: async (event) => {
    const form = await event.request.formData();
    const locale = String(form.get('locale') ?? '');
    const { data, error, response } = await apiClient(event).PATCH('/me', {
      body: {
        name: String(form.get('name') ?? '').trim(),
        displayName: String(form.get('displayName') ?? '').trim() || null,
        locale: locale || null,
      },
    });
    if (!data) return fail(400, { section: 'profile', error: issueOf(error) ?? apiErrorMessage(error, response.status) });
    // A new language re-renders the whole workspace (a reload): the confirmation rides in the address so it survives.
    if (locale !== String(form.get('previousLocale') ?? '')) redirect(303, '/settings/profile?saved=profile');
    return { section: 'profile', ok: 'Profile saved.' };
  },
  avatar: async (event) => {
    const file = (await event.request.formData()).get('file');
    if (!(file instanceof File) || file.size === 0) return fail(400, { section: 'avatar', error: t.avatar.missing });
    const { data, error, response } = await apiClient(event).POST('/me/avatar', {
      body: { file },
      bodySerializer: multipartBody,
    });
    if (!data) return fail(400, { section: 'avatar', error: apiErrorMessage(error, response.status) });
    return { section: 'avatar', ok: t.avatar.saved };
  },
  removeAvatar: async (event) => {
    const { data, error, response } = await apiClient(event).DELETE('/me/avatar');
    if (!data) return fail(400, { section: 'avatar', error: apiErrorMessage(error, response.status) });
    return { section: 'avatar', ok: t.avatar.removed };
  },
  password: async (event) => {
    const form = await event.request.formData();
    const newPassword = String(form.get('newPassword') ?? '');
    if (newPassword !== String(form.get('confirm') ?? ''))
      return fail(400, { section: 'password', error: 'The two new passwords differ.' });
    const { error, response } = await apiClient(event).POST('/auth/password', {
      body: { currentPassword: String(form.get('currentPassword') ?? ''), newPassword },
    });
    if (!response.ok) return fail(400, { section: 'password', error: issueOf(error) ?? apiErrorMessage(error, response.status) });
    return { section: 'password', ok: 'Password changed. Your other sessions were signed out.' };
  },
  setup: async (event) => {
    const { data, error, response } = await apiClient(event).POST('/me/two-factor/setup');
    if (!data) return fail(400, { section: 'twoFactor', error: apiErrorMessage(error, response.status) });
    return { section: 'twoFactor', key: data };
  },
  confirm: async (event) => {
    const form = await event.request.formData();
    const key = { secret: String(form.get('secret') ?? ''), qrSvg: '', otpauthUrl: '' };
    const { data, error, response } = await apiClient(event).POST('/me/two-factor/confirm', {
      body: { code: String(form.get('code') ?? '').trim() },
    });
    if (!data) return fail(400, { section: 'twoFactor', key, error: apiErrorMessage(error, response.status) });
    return { section: 'twoFactor', recoveryCodes: data.recoveryCodes };
  },
  renewCodes: async (event) => {
    const form = await event.request.formData();
    const { data, error, response } = await apiClient(event).POST('/me/two-factor/recovery-codes', {
      body: { password: String(form.get('password') ?? '') },
    });
    if (!data) return fail(400, { section: 'twoFactor', error: issueOf(error) ?? apiErrorMessage(error, response.status) });
    return { section: 'twoFactor', recoveryCodes: data.recoveryCodes };
  },
  disable: async (event) => {
    const form = await event.request.formData();
    const { error, response } = await apiClient(event).POST('/me/two-factor/disable', {
      body: { password: String(form.get('password') ?? '') },
    });
    if (!response.ok)
      return fail(400, { section: 'twoFactor', error: issueOf(error) ?? apiErrorMessage(error, response.status) });
    return { section: 'twoFactor', ok: 'Two-factor sign-in is off.' };
  },
  endSession: async (event) => {
    const id = String((await event.request.formData()).get('id') ?? '');
    const { error, response } = await apiClient(event).DELETE('/me/sessions/{id}', { params: { path: { id } } });
    if (!response.ok) return fail(400, { section: 'sessions', error: apiErrorMessage(error, response.status) });
    return { section: 'sessions', ok: 'Signed out of that session.' };
  },
  endOthers: async (event) => {
    const { data, error, response } = await apiClient(event).POST('/me/sessions/end-others');
    if (!data) return fail(400, { section: 'sessions', error: apiErrorMessage(error, response.status) });
    return { section: 'sessions', ok: `Signed out of ${data.ended} other ${data.ended === 1 ? 'session' : 'sessions'}.` };
  },
};
