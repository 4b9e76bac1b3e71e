import { languageOf } from '@autocrm/shared/strings';
import { PORTAL_COOKIE, portalApi } from '$lib/server/portal';
import type { LayoutServerLoad } from './$types';

/** Every portal page: the workspace's branding, the signed-in customer (if any) and their language. */
export const load: LayoutServerLoad = async (event) => {
  const [branding, me] = await Promise.all([
    portalApi(event, 'GET', '/branding'),
    event.cookies.get(PORTAL_COOKIE) ? portalApi(event, 'GET', '/me') : Promise.resolve(undefined),
  ]);
  const customer = me?.status === 200 ? me.body : null;
  const lang = languageOf(customer?.contact.locale ?? event.request.headers.get('accept-language')?.split(',')[0] ?? 'en');
  event.locals.lang = lang;
  return {
    branding: branding.body as { name: string; primaryColor: string; logoUrl: string | null; helpCenterUrl: string },
    customer: customer as null | {
      contact: { id: string; name: string | null; email: string | null; locale: string | null };
      hasPassword: boolean;
    },
    lang,
  };
};
