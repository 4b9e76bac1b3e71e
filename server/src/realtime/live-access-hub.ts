import type { Logger } from 'pino';
import { type AccessChange, concerns, type LiveAccess } from '../domain/access/live-access';
import type { Db } from '../storage/db';
import { recheckAgentSocket } from './recheck-agent-socket';
import type { IoNamespace } from './types';

/** Re-checks this process's own connections that a change concerns (sockets here, collab registers too). */
export type LocalRecheck = (changes: AccessChange[]) => Promise<void>;

/**
 * Carries access changes to every process and waits for each to re-check its connections. Across
 * processes it rides the Socket.IO adapter (Redis Streams with REDIS_URL) as a server-side emit with
 * acknowledgement, so `changed()` resolves only once every live process has answered (or the
 * adapter's 5 s timeout passes for a process that died); alone, it re-checks in this process only.
 */
export class LiveAccessHub implements LiveAccess {
  private readonly locals: LocalRecheck[] = [];

  constructor(
    private readonly agents: IoNamespace,
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly clustered: boolean,
  ) {
    this.locals.push((changes) => this.recheckSockets(changes));
    agents.on('access:changed', (changes, ack) => {
      this.runLocal(changes).then(
        () => ack(true),
        () => ack(false),
      );
    });
  }

  register(recheck: LocalRecheck): void {
    this.locals.push(recheck);
  }

  async changed(...changes: AccessChange[]): Promise<void> {
    if (!changes.length) return;
    await this.runLocal(changes);
    if (!this.clustered) return;
    try {
      await this.agents.serverSideEmitWithAck('access:changed', changes);
    } catch (err) {
      this.logger.warn({ err }, 'some process did not confirm an access change in time');
    }
  }

  private async runLocal(changes: AccessChange[]): Promise<void> {
    const results = await Promise.allSettled(this.locals.map((recheck) => recheck(changes)));
    for (const r of results) if (r.status === 'rejected') this.logger.error({ err: r.reason }, 'access re-check failed');
  }

  private async recheckSockets(changes: AccessChange[]): Promise<void> {
    const affected = [...this.agents.sockets.values()].filter((s) => {
      const d = s.data;
      if (d.kind !== 'agent') return false;
      const who = { userId: d.userId, sessionId: d.sessionId, apiKeyId: d.actor.kind === 'api_key' ? d.actor.id : undefined };
      return changes.some((c) => concerns(c, who));
    });
    await Promise.all(affected.map((s) => recheckAgentSocket(this.db, s)));
  }
}
