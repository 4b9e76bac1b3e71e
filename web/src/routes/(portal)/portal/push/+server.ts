import type { components } from '@autocrm/shared/api-types';
import { json } from '@sveltejs/kit';
import { portalApi } from '$lib/server/portal';
import type { RequestHandler } from './$types';

type Subscription = components['schemas']['PushSubscriptionInput'];

/**
 * The profile page's "Notify me in this browser": the browser's PushSubscription (or, to stop, its
 * endpoint) goes to the portal API with the session from the cookie, which scripts cannot read.
 * JSON only: another site cannot post it without a CORS preflight we never grant.
 */
export const POST: RequestHandler = async (event) => {
  if (!event.request.headers.get('content-type')?.startsWith('application/json'))
    return json({ error: { code: 'validation_failed', message: 'send JSON' } }, { status: 415 });
  const body = (await event.request.json().catch(() => null)) as { subscription?: Subscription; remove?: unknown } | null;
  // The subscription goes on as the browser gave it (or none): the API validates it and answers 400 for a bad one.
  const { data, error, response } =
    body && typeof body.remove === 'string'
      ? await portalApi(event).POST('/portal/push/subscriptions/remove', { body: { endpoint: body.remove } })
      : await portalApi(event).POST('/portal/push/subscriptions', { body: body?.subscription as Subscription });
  return json(data ?? error ?? {}, { status: response.status });
};
