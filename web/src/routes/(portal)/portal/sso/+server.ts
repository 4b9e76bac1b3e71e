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
  const body = Object.fromEntries(['websiteToken', 'userId', 'hash', 'token'].flatMap((k) => (q.get(k) ? [[k, q.get(k)]] : [])));
  const res = await portalApi(event, 'POST', '/sign-in/identity', body);
  if (res.status !== 200) redirect(303, '/portal/sign-in');
  setPortalCookie(event, res.body);
  redirect(303, '/portal');
};
