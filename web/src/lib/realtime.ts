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
