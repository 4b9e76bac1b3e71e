import type { DomainEvent, EventType } from '@autocrm/shared';
import type { Db } from '../storage/db';

/**
 * Something that reacts to domain events. It opts in to the events it handles (no giant switch).
 * `inTransaction` runs inside the relay's dispatch transaction, so work it records (a webhook
 * delivery, a routing job) is stored exactly once with the event marked as dispatched.
 * `afterCommit` runs once the batch is committed (realtime fan-out); it must be safe to miss on a
 * crash, because clients catch up from the database.
 */
export interface EventListener {
  name: string;
  events: readonly EventType[] | '*';
  inTransaction?(event: DomainEvent, trx: Db): Promise<void>;
  /**
   * Once per dispatch batch, with the batch's events this listener takes, after every listener's
   * `inTransaction` of the batch: for work that is cheaper done for many events at once (report rollups).
   */
  inTransactionBatch?(events: DomainEvent[], trx: Db): Promise<void>;
  afterCommit?(event: DomainEvent, ranEarly?: boolean): void | Promise<void>;
  /**
   * The part of `afterCommit` the writing process may run at once after its own commit, before the
   * relay dispatches the event (a room's new message to its sockets: no dispatch round trip on the
   * way); true when it did. `afterCommit` then gets `ranEarly` true in this process and leaves that part out.
   */
  early?(event: DomainEvent): boolean;
}

export const listensTo = (listener: EventListener, type: EventType) => listener.events === '*' || listener.events.includes(type);
