import type { paths } from '@autocrm/shared/api-types';
import type { RequestEvent } from '@sveltejs/kit';
import createClient from 'openapi-fetch';
import { SESSION_COOKIE } from './api';

/**
 * REST API v1 as the signed-in user, typed by the generated contract (shared/src/generated): paths,
 * parameters, bodies and responses all come from the server's OpenAPI document, so a page cannot ask
 * for a field the API does not have. In-process through the Hono app when mounted in the server (with
 * the same authentication, CSRF check and validation as any client), over HTTP to AUTOCRM_API_URL
 * under `vite dev`. The browser's counterpart is `browserApi()` (lib/api-client.ts).
 */
export function apiClient(
  event: Pick<RequestEvent, 'cookies' | 'locals' | 'platform'>,
  /** `anonymous`: call a public endpoint without the visitor's session (no cookie, so no CSRF token needed). */
  opts: { anonymous?: boolean } = {},
) {
  return createClient<paths>({
    baseUrl: 'http://autocrm.internal/api/v1',
    fetch: async (request: Request) => {
      const headers = new Headers(request.headers);
      headers.set('accept', 'application/json');
      const token = opts.anonymous ? undefined : event.cookies.get(SESSION_COOKIE);
      if (token) headers.set('cookie', `${SESSION_COOKIE}=${token}`);
      if (token && request.method !== 'GET' && event.locals.csrfToken) headers.set('x-csrf-token', event.locals.csrfToken);
      // Bytes, not text: a multipart body (a profile picture) decoded as UTF-8 would reach the API mangled.
      const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
      const init: RequestInit = { method: request.method, headers, ...(body?.byteLength ? { body } : {}) };
      const inProcess = event.platform?.req?.autocrmApi;
      if (inProcess) return inProcess(new Request(request.url, init), { incoming: event.platform?.req });
      const base = process.env.AUTOCRM_API_URL ?? 'http://127.0.0.1:3000';
      return fetch(request.url.replace('http://autocrm.internal', base), init);
    },
  });
}

/** The API's error message for a failed call, for a page to show (never internal details: the API has none). */
export const apiErrorMessage = (error: unknown, status: number) =>
  (error as { error?: { message?: string } } | undefined)?.error?.message ?? `The request failed (HTTP ${status}).`;
