import { RoomClient } from '@autocrm/shared/realtime-client';

let client: RoomClient | null = null;

/**
 * One agent socket per tab, shared by every page: the RoomClient keeps its outbox of unsent replies
 * and the last seq per room in localStorage, so a refresh resumes rather than reloads.
 */
export function roomClient(): RoomClient {
  if (!client) {
    client = new RoomClient({
      url: location.origin,
      namespace: '/agent',
      auth: {},
      storage: localStorage,
    });
  }
  return client;
}

/** Signing out ends the socket (the server drops it too). */
export function closeRoomClient(): void {
  client?.close();
  client = null;
}

/** Client-side API writes (cookie + CSRF), for in-place edits that do not reload the page. */
export async function apiWrite(csrfToken: string, method: string, path: string, body: unknown) {
  const res = await fetch(`/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
    body: JSON.stringify(body),
  });
  const json = await res.json().catch(() => undefined);
  return { status: res.status, body: json as any };
}

export async function apiGet(path: string) {
  const res = await fetch(`/api/v1${path}`);
  return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
}
