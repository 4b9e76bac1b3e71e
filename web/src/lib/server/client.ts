import type { paths } from '@autocrm/shared/api-types';
import type { RequestEvent } from '@sveltejs/kit';
import createClient from 'openapi-fetch';
import { SESSION_COOKIE } from './api';
import { API_ORIGIN, sendToApi } from './api-transport';

/**
 * REST API v1 as the signed-in user, typed by the generated contract (shared/src/generated): paths,
 * parameters, bodies and responses all come from the server's OpenAPI document, so a page cannot ask
 * for a field the API does not have. In-process or over HTTP (`sendToApi`). The browser's counterpart is
 * `browserApi()` (lib/api-client.ts); the customer portal's is `portalApi()` (portal.ts).
 */
export function apiClient(
  event: Pick<RequestEvent, 'cookies' | 'locals' | 'platform'>,
  /** `anonymous`: call a public endpoint without the visitor's session (no cookie, so no CSRF token needed). */
  opts: { anonymous?: boolean } = {},
) {
  return createClient<paths>({
    baseUrl: `${API_ORIGIN}/api/v1`,
    fetch: async (request: Request) => {
      const headers = new Headers(request.headers);
      headers.set('accept', 'application/json');
      const token = opts.anonymous ? undefined : event.cookies.get(SESSION_COOKIE);
      if (token) headers.set('cookie', `${SESSION_COOKIE}=${token}`);
      if (token && request.method !== 'GET' && event.locals.csrfToken) headers.set('x-csrf-token', event.locals.csrfToken);
      return sendToApi(event, request, headers);
    },
  });
}

/** The API's error message for a failed call, for a page to show (never internal details: the API has none). */
export const apiErrorMessage = (error: unknown, status: number) =>
  (error as { error?: { message?: string } } | undefined)?.error?.message ?? `The request failed (HTTP ${status}).`;
