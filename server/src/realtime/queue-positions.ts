import { type DomainEvent, rooms } from '@autocrm/shared';
import { listQueue } from '../domain/routing/queue';
import type { EventListener } from '../events/listener';
import type { Db } from '../storage/db';
import type { IoNamespace } from './types';

/**
 * Queue transparency for visitors: a conversation that enters the queue tells its room its position
 * and estimated wait, and whenever a conversation leaves the queue (assigned, resolved) everyone still
 * waiting in that team's queue hears their new position.
 */
export function queuePositionFanout(db: Db, widget: IoNamespace): EventListener {
  const announceTeam = async (teamId: string | null) => {
    for (const e of await listQueue(db, teamId ? { teamId } : {})) {
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
      await announceTeam(conversation.teamId);
    },
  };
}
