import { type DomainEvent, rooms } from '@autocrm/shared';
import { listQueue } from '../domain/routing/queue';
import type { EventListener } from '../events/listener';
import type { IoNamespace } from '../realtime/types';
import type { ListenerContext } from './context';

/**
 * Queue transparency for visitors: a conversation that enters the queue tells its room its position
 * and estimated wait, and whenever a conversation leaves the queue (assigned, resolved) everyone still
 * waiting in that team's queue hears their new position.
 */
export function announceQueuePositions(ctx: ListenerContext): EventListener {
  const announceTeam = async (widget: IoNamespace, teamId: string | null) => {
    for (const e of await listQueue(ctx.db, teamId ? { teamId } : {})) {
      if (e.teamId !== teamId) continue;
      widget.to(rooms.conversation(e.conversationId)).emit('queue:position', {
        conversationId: e.conversationId,
        position: e.position,
        estimatedWaitMinutes: e.estimatedWaitMinutes,
      });
    }
  };
  return {
    name: 'queue-positions',
    events: ['routing.queued', 'conversation.assigned', 'conversation.status_changed'],
    async afterCommit(event: DomainEvent) {
      const widget = ctx.realtime()?.widget;
      if (!widget) return;
      if (event.type === 'routing.queued') {
        const d = (event as DomainEvent<'routing.queued'>).data;
        widget.to(rooms.conversation(d.conversationId)).emit('queue:position', {
          conversationId: d.conversationId,
          position: d.position,
          estimatedWaitMinutes: d.estimatedWaitMinutes,
        });
        return;
      }
      // Someone left the queue: the ones behind them moved up.
      const { conversation } = (event as DomainEvent<'conversation.assigned' | 'conversation.status_changed'>).data;
      await announceTeam(widget, conversation.teamId);
    },
  };
}
