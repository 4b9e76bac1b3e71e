import type { PresenceStatus } from '@autocrm/shared';

/**
 * Who has a live connection right now, and their presence, across every process. Only the realtime
 * layer knows (realtime/presence.ts implements this); routes and routing ask through this port and so
 * never depend on sockets themselves.
 */
export interface PresenceDirectory {
  all(): Promise<Map<string, { name: string; status: PresenceStatus }>>;
}
