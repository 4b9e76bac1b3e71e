import { error, fail } from '@sveltejs/kit';
import { apiClient, apiErrorMessage } from '$lib/server/client';
import type { Actions, PageServerLoad } from './$types';

const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;

export const load: PageServerLoad = async (event) => {
  if (event.locals.user?.role !== 'admin') error(403, 'Only admins change the customer portal.');
  const api = apiClient(event);
  const [settings, inboxes] = await Promise.all([api.GET('/portal-settings'), api.GET('/inboxes')]);
  return {
    settings: settings.data ?? null,
    loadError: settings.error ? apiErrorMessage(settings.error, settings.response.status) : null,
    inboxes: (inboxes.data?.data ?? []).map((i) => ({ id: i.id, name: i.name, channel: i.channel })),
  };
};

export const actions: Actions = {
  save: async (event) => {
    const form = await event.request.formData();
    const file = form.get('logo');
    let logo: { contentType: (typeof LOGO_TYPES)[number]; base64: string } | null | undefined;
    if (form.get('removeLogo') === 'on') logo = null;
    else if (file instanceof File && file.size > 0) {
      if (!(LOGO_TYPES as readonly string[]).includes(file.type))
        return fail(400, { error: 'The logo must be a PNG, JPEG, WebP or GIF image.' });
      logo = {
        contentType: file.type as (typeof LOGO_TYPES)[number],
        base64: Buffer.from(await file.arrayBuffer()).toString('base64'),
      };
    }
    const inboxId = String(form.get('inboxId') ?? '');
    const {
      data,
      error: err,
      response,
    } = await apiClient(event).PUT('/portal-settings', {
      body: {
        name: String(form.get('name') ?? '').trim(),
        primaryColor: String(form.get('primaryColor') ?? ''),
        inboxId: inboxId || null,
        ...(logo !== undefined ? { logo } : {}),
      },
    });
    if (!data) return fail(400, { error: apiErrorMessage(err, response.status) });
    return { saved: true };
  },
};
