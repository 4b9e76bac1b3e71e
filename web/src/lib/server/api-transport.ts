import type { RequestEvent } from '@sveltejs/kit';

/** The stand-in origin the server-side clients address the API under; `sendToApi` replaces it. */
export const API_ORIGIN = 'http://autocrm.internal';

/**
 * Sends one request of a server-side API client on to the API: in-process through the Hono app when the
 * web app is mounted in the server (with the same authentication, CSRF check and validation as any
 * client), over HTTP to AUTOCRM_API_URL under `vite dev`. The caller has set the headers (credentials);
 * the body goes as bytes, not text: a multipart body (a file) decoded as UTF-8 would reach the API mangled.
 */
export async function sendToApi(event: Pick<RequestEvent, 'platform'>, request: Request, headers: Headers): Promise<Response> {
  const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
  const init: RequestInit = { method: request.method, headers, ...(body?.byteLength ? { body } : {}) };
  const inProcess = event.platform?.req?.autocrmApi;
  if (inProcess) return inProcess(new Request(request.url, init), { incoming: event.platform?.req });
  const base = process.env.AUTOCRM_API_URL ?? 'http://127.0.0.1:3000';
  return fetch(request.url.replace(API_ORIGIN, base), init);
}
