import { json } from '@sveltejs/kit';
import { portalApi } from '$lib/server/portal';
import type { RequestHandler } from './$types';

/**
 * The profile page's "Notify me in this browser": the browser's PushSubscription (or, to stop, its
 * endpoint) goes to the portal API with the session from the cookie, which scripts cannot read.
 * JSON only: another site cannot post it without a CORS preflight we never grant.
 */
export const POST: RequestHandler = async (event) => {
  if (!event.request.headers.get('content-type')?.startsWith('application/json'))
    return json({ error: { code: 'validation_failed', message: 'send JSON' } }, { status: 415 });
  const body = (await event.request.json().catch(() => null)) as { subscription?: unknown; remove?: unknown } | null;
  const res =
    body && typeof body.remove === 'string'
      ? await portalApi(event, 'POST', '/push/subscriptions/remove', { endpoint: body.remove })
      : await portalApi(event, 'POST', '/push/subscriptions', body?.subscription);
  return json(res.body ?? {}, { status: res.status });
};
