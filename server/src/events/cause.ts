import { AsyncLocalStorage } from 'node:async_hooks';
import type { EventCause } from '@autocrm/shared';

// While automation runs a rule's actions, every event those actions write carries the rule as its cause
// (and the depth of the chain), without threading a parameter through every domain command: the next
// round of automation sees the depth and stops a chain of rules re-triggering each other.
const current = new AsyncLocalStorage<EventCause>();

export function withCause<T>(cause: EventCause, fn: () => Promise<T>): Promise<T> {
  return current.run(cause, fn);
}

export const currentCause = (): EventCause | undefined => current.getStore();
