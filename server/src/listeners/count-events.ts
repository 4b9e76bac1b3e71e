import type { EventListener } from '../events/listener';
import type { ListenerContext } from './context';

/**
 * Every dispatched event (internal ones included) counts in the metrics. (The webhook worker is woken by
 * the listener that queues deliveries, only for the events that have any: enqueue-webhook-deliveries.ts.)
 */
export function countEvents(ctx: ListenerContext): EventListener {
  return {
    name: 'metrics',
    events: '*',
    afterCommit: (event) => {
      ctx.metrics.eventsDispatched.inc({ type: event.type });
    },
  };
}
