import type { DomainEvent, DomainEventPayloads, EventType } from '@autocrm/shared';
import type { Db } from '../storage/db';
import { currentCause } from './cause';

/**
 * Writes a domain event in the caller's transaction: the change and its event commit together or
 * not at all. The relay delivers it after commit.
 */
export async function emit<K extends EventType>(trx: Db, type: K, data: DomainEventPayloads[K]): Promise<void> {
  await trx
    .insertInto('outbox')
    .values({ type, payload: JSON.stringify(data), cause: causeJson() })
    .execute();
}

/**
 * The same, returning the event as the relay will hand it to listeners (its id and time come back from
 * the insert, no extra round trip): the message path fans it out itself right after commit.
 */
export async function emitReturning<K extends EventType>(
  trx: Db,
  type: K,
  data: DomainEventPayloads[K],
): Promise<DomainEvent<K>> {
  const cause = currentCause();
  const row = await trx
    .insertInto('outbox')
    .values({ type, payload: JSON.stringify(data), cause: cause ? JSON.stringify(cause) : null })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
  return {
    id: Number(row.id),
    type,
    occurredAt: row.created_at.toISOString(),
    data,
    ...(cause ? { cause } : {}),
  } as DomainEvent<K>;
}

const causeJson = () => {
  const cause = currentCause();
  return cause ? JSON.stringify(cause) : null;
};
