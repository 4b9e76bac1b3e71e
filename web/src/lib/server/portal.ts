import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { redirect } from '@sveltejs/kit';

/** What a portal API call answered: its status and parsed JSON body. */
interface PortalResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** The customer portal's own cookie: never the agents' session cookie, and never sent to the API as a cookie. */
export const PORTAL_COOKIE = 'autocrm_portal';

type PortalEvent = Pick<RequestEvent, 'cookies' | 'platform' | 'url'>;

/**
 * Calls the portal API (/api/v1/portal/...) as the signed-in customer: the cookie's token travels in
 * the X-Portal-Session header. In-process through the Hono app when mounted in the server, over HTTP
 * to AUTOCRM_API_URL under `vite dev` (like `apiClient()` in client.ts).
 */
export async function portalApi<T = any>(
  event: PortalEvent,
  method: string,
  path: string,
  body?: unknown,
): Promise<PortalResult<T>> {
  const headers = new Headers({ accept: 'application/json' });
  const token = event.cookies.get(PORTAL_COOKIE);
  if (token) headers.set('x-portal-session', token);
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers.set('content-type', 'application/json');
    payload = JSON.stringify(body);
  }
  const init: RequestInit = { method, headers, ...(payload !== undefined ? { body: payload } : {}) };
  const inProcess = event.platform?.req?.autocrmApi;
  const res = inProcess
    ? await inProcess(new Request(`http://autocrm.internal/api/v1/portal${path}`, init), { incoming: event.platform?.req })
    : await fetch(`${process.env.AUTOCRM_API_URL ?? 'http://127.0.0.1:3000'}/api/v1/portal${path}`, init);
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  if (res.status === 401 && token && path !== '/sign-in/link/redeem') event.cookies.delete(PORTAL_COOKIE, { path: '/portal' });
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** Keeps a new portal session in its cookie (httpOnly, only under /portal). */
export function setPortalCookie(event: { cookies: Cookies; url: URL }, session: { sessionToken: string; expiresAt: string }) {
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
  const out: { name: string; contentType: string; size: number; url: string }[] = [];
  for (const f of files) {
    if (!(f instanceof File) || f.size === 0) continue;
    const form = new FormData();
    form.append('file', f, f.name);
    const res = await portalApi(event, 'POST', '/uploads', form);
    if (res.status !== 201) return { error: res.body?.error?.message ?? `The upload of ${f.name} failed.` } as const;
    out.push(res.body);
  }
  return { attachments: out } as const;
}
