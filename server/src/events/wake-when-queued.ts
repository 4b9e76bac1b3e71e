import type { DomainEvent, EventType } from '@autocrm/shared';
import type { Db } from '../storage/db';
import type { EventListener } from './listener';

/**
 * A listener that queues work for a worker (a mail, a webhook delivery) and wakes that worker after the
 * commit, only for the events it queued something for. Every chat message passes such listeners, and a
 * needless wake costs the worker a poll statement (thousands in a busy minute). The relay runs
 * `inTransaction` and `afterCommit` in this process on the same event object, so the mark holds between
 * them; `inTransaction` answers whether it queued. Due work is still found by the worker's own rounds.
 */
export function wakeWhenQueued(
  listener: { name: string; events: readonly EventType[] | '*'; inTransaction(event: DomainEvent, trx: Db): Promise<boolean> },
  wake: () => void,
): EventListener {
  const queued = new WeakSet<DomainEvent>();
  return {
    name: listener.name,
    events: listener.events,
    async inTransaction(event, trx) {
      if (await listener.inTransaction(event, trx)) queued.add(event);
    },
    afterCommit(event) {
      if (queued.delete(event)) wake();
    },
  };
}
