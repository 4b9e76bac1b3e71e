import { type PresenceStatus, rooms } from '@autocrm/shared';
import type { PresenceDirectory } from '../domain/presence-directory';
import type { IoNamespace } from './types';

/**
 * Agent presence is derived from live sockets, across every process (fetchSockets goes through the
 * adapter): online if any socket says online, away if all say away, offline with none. Nothing to
 * expire by hand when a process dies: its sockets are simply gone.
 */
export class Presence implements PresenceDirectory {
  constructor(private readonly agents: IoNamespace) {}

  async statusOf(userId: string): Promise<PresenceStatus> {
    const sockets = await this.agents.in(rooms.user(userId)).fetchSockets();
    const states = sockets.map((s) => (s.data.kind === 'agent' ? s.data.presence : 'offline'));
    if (states.includes('online')) return 'online';
    if (states.includes('away')) return 'away';
    return 'offline';
  }

  /** Everyone with a live socket, for supervisors and routing. */
  async all(): Promise<Map<string, { name: string; status: PresenceStatus }>> {
    const sockets = await this.agents.fetchSockets();
    const out = new Map<string, { name: string; status: PresenceStatus }>();
    for (const s of sockets) {
      if (s.data.kind !== 'agent' || !s.data.userId) continue;
      const prev = out.get(s.data.userId);
      const status = prev?.status === 'online' || s.data.presence === 'online' ? 'online' : 'away';
      out.set(s.data.userId, { name: s.data.name, status });
    }
    return out;
  }

  private readonly changeListeners: ((userId: string, status: PresenceStatus) => Promise<void>)[] = [];

  /**
   * Hears every announcement (connect, disconnect, presence:set) with the agent's status across processes;
   * routing uses it. Announcing waits for the listeners, so an agent's "away" is acked only once routing
   * stores it: a conversation started right after is never assigned to them on the old status.
   */
  onChange(listener: (userId: string, status: PresenceStatus) => Promise<void>): void {
    this.changeListeners.push(listener);
  }

  async announce(userId: string, name: string): Promise<void> {
    const status = await this.statusOf(userId);
    this.agents.emit('presence', { userId, name, status });
    await Promise.all(this.changeListeners.map((l) => l(userId, status)));
  }
}
