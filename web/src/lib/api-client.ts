import type { paths } from '@autocrm/shared/api-types';
import createClient, { type Client } from 'openapi-fetch';

/** A client of REST API v1, the browser's (`browserApi`) or a server load's (`apiClient(event)`). */
export type ApiClient = Client<paths>;

/**
 * REST API v1 from the browser as the signed-in agent, typed by the generated contract
 * (shared/src/generated): paths, parameters, bodies and responses all come from the server's OpenAPI
 * document. The session cookie travels by itself; a write also needs the session's CSRF token, which the
 * API asks of every cookie-authenticated write. The server's counterpart is `apiClient(event)`.
 */
export function browserApi(csrfToken?: string | null): ApiClient {
  const client = createClient<paths>({ baseUrl: '/api/v1' });
  client.use({
    onRequest: ({ request }) => {
      if (csrfToken && request.method !== 'GET' && request.method !== 'HEAD') request.headers.set('x-csrf-token', csrfToken);
    },
  });
  return client;
}

/**
 * The `bodySerializer` of a multipart operation (an upload): the generated contract types the body as
 * its fields, a file as a Blob (scripts/gen-api-types.ts); the API reads them as a form. A File keeps its
 * name. Pass it with the body, e.g. `POST('/uploads', { body: { file }, bodySerializer: multipartBody })`.
 */
export function multipartBody(fields: Record<string, string | Blob>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return form;
}

/** The API's message for a failed call, else the page's own words for it. */
export const apiError = (error: unknown, fallback: string): string =>
  (error as { error?: { message?: string } } | undefined)?.error?.message ?? fallback;
