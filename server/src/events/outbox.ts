import type { DomainEventPayloads, EventType } from '@autocrm/shared';
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

const causeJson = () => {
  const cause = currentCause();
  return cause ? JSON.stringify(cause) : null;
};
