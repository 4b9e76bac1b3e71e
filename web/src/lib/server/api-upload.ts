import type { components } from '@autocrm/shared/api-types';
import type { RequestEvent } from '@sveltejs/kit';
import { multipartBody } from '$lib/api-client';
import { API_ORIGIN } from './api-transport';
import { apiClient } from './client';

/** Uploads one file as the signed-in user (POST /uploads, multipart): the stored file, or the API's message. */
export async function apiUpload(
  event: Pick<RequestEvent, 'cookies' | 'locals' | 'platform' | 'url'>,
  file: File,
): Promise<{ ok: true; file: components['schemas']['Upload'] } | { ok: false; message: string }> {
  const { data, error, response } = await apiClient(event).POST('/uploads', {
    body: { file },
    bodySerializer: multipartBody,
  });
  if (!data) return { ok: false, message: error?.error?.message ?? `the upload failed (HTTP ${response.status})` };
  // In-process the API names its own stand-in host: the link is on the server the page came from.
  const url = new URL(data.url, API_ORIGIN);
  return {
    ok: true,
    file: { ...data, url: url.origin === API_ORIGIN ? `${event.url.origin}${url.pathname}${url.search}` : data.url },
  };
}
