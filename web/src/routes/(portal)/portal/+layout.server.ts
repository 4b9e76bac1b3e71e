import { languageOf } from '@autocrm/shared/strings';
import { error } from '@sveltejs/kit';
import { PORTAL_COOKIE, portalApi } from '$lib/server/portal';
import type { LayoutServerLoad } from './$types';

/** Every portal page: the workspace's branding, the signed-in customer (if any) and their language. */
export const load: LayoutServerLoad = async (event) => {
  const api = portalApi(event);
  const [branding, me] = await Promise.all([
    api.GET('/portal/branding'),
    event.cookies.get(PORTAL_COOKIE) ? api.GET('/portal/me') : Promise.resolve(undefined),
  ]);
  // Public and without a rate limit: only a broken server fails it, and no portal page can be drawn without it.
  if (!branding.data) error(branding.response.status, branding.error?.error.message ?? 'The portal is unavailable.');
  const customer = me?.data ?? null;
  const lang = languageOf(customer?.contact.locale ?? event.request.headers.get('accept-language')?.split(',')[0] ?? 'en');
  event.locals.lang = lang;
  return { branding: branding.data, customer, lang };
};
