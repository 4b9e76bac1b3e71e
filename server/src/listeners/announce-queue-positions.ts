import { type DomainEvent, rooms } from '@autocrm/shared';
import { listQueue } from '../domain/routing/queue';
import type { EventListener } from '../events/listener';
import type { IoNamespace } from '../realtime/types';
import type { ListenerContext } from './context';

/**
 * Queue transparency for visitors: a conversation that enters the queue tells its room its position
 * and estimated wait, and whenever a conversation leaves the queue or comes back (assigned, resolved,
 * snoozed or woken, merged, moved to another team) everyone still waiting in that queue hears their new
 * position.
 */
export function announceQueuePositions(ctx: ListenerContext): EventListener {
  /** Every waiting room of these teams (undefined: of every team) hears its position. */
  const announceTeams = async (widget: IoNamespace, teamIds: (string | null)[] | undefined) => {
    const one = teamIds?.length === 1 ? teamIds[0] : undefined;
    for (const e of await listQueue(ctx.db, one ? { teamId: one } : {})) {
      if (teamIds && !teamIds.includes(e.teamId)) continue;
      widget.to(rooms.conversation(e.conversationId)).emit('queue:position', {
        conversationId: e.conversationId,
        position: e.position,
        estimatedWaitMinutes: e.estimatedWaitMinutes,
      });
    }
  };
  return {
    name: 'queue-positions',
    events: [
      'routing.queued',
      'conversation.assigned',
      'conversation.status_changed',
      'conversation.updated',
      'conversation.merged',
    ],
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
      if (event.type === 'conversation.merged') {
        // The duplicate left the queue (closed); the survivor may have taken its place.
        const { primary, secondary } = (event as DomainEvent<'conversation.merged'>).data;
        await announceTeams(widget, [...new Set([primary.teamId, secondary.teamId])]);
        return;
      }
      if (event.type === 'conversation.updated') {
        const { changed } = (event as DomainEvent<'conversation.updated'>).data;
        // A snooze takes a room out of the queue (a wake puts it back); a team change moves it between
        // queues, and the event does not say which team it left: every queue hears its positions.
        if (changed.includes('teamId')) await announceTeams(widget, undefined);
        else if (changed.includes('snooze'))
          await announceTeams(widget, [(event as DomainEvent<'conversation.updated'>).data.conversation.teamId]);
        return;
      }
      // Someone left the queue: the ones behind them moved up.
      const { conversation } = (event as DomainEvent<'conversation.assigned' | 'conversation.status_changed'>).data;
      await announceTeams(widget, [conversation.teamId]);
    },
  };
}
