import type { components } from '@autocrm/shared/api-types';
import type { RequestEvent } from '@sveltejs/kit';

export const SESSION_COOKIE = 'autocrm_session';

/** Field errors from an API validation failure, keyed by the first path segment. */
export function fieldErrors(body: any): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of body?.error?.issues ?? []) {
    const path = Array.isArray(issue.path) ? issue.path.filter((p: unknown) => typeof p === 'string').join('.') : issue.path;
    const key = typeof path === 'string' && path ? path : 'form';
    out[key] ??= issue.message;
  }
  if (!Object.keys(out).length && body?.error?.message) out.form = body.error.message;
  return out;
}

/** Uploads one file as the signed-in user (POST /uploads, multipart): the stored file, or the API's message. */
export async function apiUpload(
  event: Pick<RequestEvent, 'cookies' | 'locals' | 'platform' | 'url'>,
  file: File,
): Promise<{ ok: true; file: components['schemas']['Upload'] } | { ok: false; message: string }> {
  const headers = new Headers({ accept: 'application/json' });
  const token = event.cookies.get(SESSION_COOKIE);
  if (token) headers.set('cookie', `${SESSION_COOKIE}=${token}`);
  if (token && event.locals.csrfToken) headers.set('x-csrf-token', event.locals.csrfToken);
  const body = new FormData();
  body.append('file', file, file.name);
  const init: RequestInit = { method: 'POST', headers, body };
  const inProcess = event.platform?.req?.autocrmApi;
  const res = inProcess
    ? await inProcess(new Request('http://autocrm.internal/api/v1/uploads', init), { incoming: event.platform?.req })
    : await fetch(`${process.env.AUTOCRM_API_URL ?? 'http://127.0.0.1:3000'}/api/v1/uploads`, init);
  const parsed = await res.json().catch(() => undefined);
  if (res.status === 201 && parsed?.url) {
    // In-process the API names its own stand-in host: the link is on the server the page came from.
    const url = new URL(parsed.url, 'http://autocrm.internal');
    const real = url.origin === 'http://autocrm.internal' ? `${event.url.origin}${url.pathname}${url.search}` : parsed.url;
    return { ok: true, file: { ...parsed, url: real } };
  }
  return { ok: false, message: parsed?.error?.message ?? `the upload failed (HTTP ${res.status})` };
}
