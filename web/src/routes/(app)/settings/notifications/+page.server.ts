import { NOTIFICATION_KINDS, NOTIFICATION_PATHS } from '@autocrm/shared';
import { fail } from '@sveltejs/kit';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { data } = await apiClient(event).GET('/me/notification-preferences');
  return { prefs: data ?? null };
};

export const actions: Actions = {
  // One form, every checkbox: works without JavaScript.
  save: async (event) => {
    const form = await event.request.formData();
    const kinds = Object.fromEntries(
      NOTIFICATION_KINDS.map((k) => [
        k,
        Object.fromEntries(NOTIFICATION_PATHS.map((p) => [p, form.get(`${k}.${p}`) === 'on'])) as never,
      ]),
    );
    const { data, error, response } = await apiClient(event).PUT('/me/notification-preferences', {
      body: { kinds, sound: form.get('sound') === 'on' },
    });
    if (!data) return fail(400, { error: apiErrorMessage(error, response.status) });
    return { ok: 'Preferences saved.' };
  },
};
