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
  afterCommit?(event: DomainEvent): void | Promise<void>;
}

export const listensTo = (listener: EventListener, type: EventType) => listener.events === '*' || listener.events.includes(type);
