import type { components, paths } from '@autocrm/shared/api-types';
import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { redirect } from '@sveltejs/kit';
import createClient from 'openapi-fetch';
import { multipartBody } from '$lib/api-client';
import { API_ORIGIN, sendToApi } from './api-transport';

/** The customer portal's own cookie: never the agents' session cookie, and never sent to the API as a cookie. */
export const PORTAL_COOKIE = 'autocrm_portal';

type PortalEvent = Pick<RequestEvent, 'cookies' | 'platform' | 'url'>;

/** The portal API's part of the generated contract: a portal page can call nothing else as the customer. */
type PortalPaths = { [P in keyof paths as P extends `/portal/${string}` ? P : never]: paths[P] };

/**
 * The portal API (/api/v1/portal/...) as the signed-in customer, typed by the generated contract like
 * `apiClient()` (client.ts): the cookie's token travels in the X-Portal-Session header, in-process or
 * over HTTP (`sendToApi`). An answer of 401 to a session means it ended: the cookie goes too (not for
 * redeeming a sign-in link, whose 401 is about the link).
 */
export function portalApi(event: PortalEvent) {
  return createClient<PortalPaths>({
    baseUrl: `${API_ORIGIN}/api/v1`,
    fetch: async (request: Request) => {
      const headers = new Headers(request.headers);
      headers.set('accept', 'application/json');
      const token = event.cookies.get(PORTAL_COOKIE);
      if (token) headers.set('x-portal-session', token);
      const res = await sendToApi(event, request, headers);
      if (res.status === 401 && token && new URL(request.url).pathname !== '/api/v1/portal/sign-in/link/redeem')
        event.cookies.delete(PORTAL_COOKIE, { path: '/portal' });
      return res;
    },
  });
}

/** Keeps a new portal session in its cookie (httpOnly, only under /portal). */
export function setPortalCookie(event: { cookies: Cookies; url: URL }, session: components['schemas']['PortalSession']) {
  event.cookies.set(PORTAL_COOKIE, session.sessionToken, {
    path: '/portal',
    httpOnly: true,
    sameSite: 'lax',
    secure: event.url.protocol === 'https:',
    expires: new Date(session.expiresAt),
  });
}

/** A page that needs a signed-in customer sends everyone else to the sign-in page. */
export function requireCustomer(event: PortalEvent): void {
  if (!event.cookies.get(PORTAL_COOKIE)) redirect(303, `/portal/sign-in?next=${encodeURIComponent(event.url.pathname)}`);
}

/** Uploads each chosen file through the portal API (sniffed there) and returns the attachments to send. */
export async function uploadFiles(event: PortalEvent, files: FormDataEntryValue[]) {
  const out: components['schemas']['Attachment'][] = [];
  for (const f of files) {
    if (!(f instanceof File) || f.size === 0) continue;
    const { data, error } = await portalApi(event).POST('/portal/uploads', { body: { file: f }, bodySerializer: multipartBody });
    if (!data) return { error: error?.error?.message ?? `The upload of ${f.name} failed.` } as const;
    out.push(data);
  }
  return { attachments: out } as const;
}
