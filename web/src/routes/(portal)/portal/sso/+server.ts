import { redirect } from '@sveltejs/kit';
import { portalApi, setPortalCookie } from '$lib/server/portal';
import type { RequestHandler } from './$types';

/**
 * Arriving from the host site already signed in: `/portal/sso?websiteToken=…&token=<JWT>` (or
 * `&userId=…&hash=…`), the same identity the widget accepts. A JWT expires; an HMAC link does not, so
 * sites should prefer the JWT for links.
 */
export const GET: RequestHandler = async (event) => {
  const q = event.url.searchParams;
  const given = (k: string) => q.get(k) || undefined;
  const { data } = await portalApi(event).POST('/portal/sign-in/identity', {
    body: { websiteToken: q.get('websiteToken') ?? '', userId: given('userId'), hash: given('hash'), token: given('token') },
  });
  if (!data) redirect(303, '/portal/sign-in');
  setPortalCookie(event, data);
  redirect(303, '/portal');
};
