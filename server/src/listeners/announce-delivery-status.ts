import { type DomainEvent, rooms } from '@autocrm/shared';
import type { EventListener } from '../events/listener';
import type { ListenerContext } from './context';

/**
 * A message's delivery state through its channel (mail, SMS, WhatsApp, Messenger) reaches the room's
 * agents and the supervisors as it moves; a tab that misses one reads the states on its next load.
 * The channels only record the state and emit the event, so none of them talks to sockets.
 */
export function announceDeliveryStatus(ctx: ListenerContext): EventListener {
  return {
    name: 'delivery-status',
    events: ['channel.delivery_status', 'email.delivery_status'],
    afterCommit(event: DomainEvent) {
      const agents = ctx.realtime()?.agents;
      if (!agents) return;
      if (event.type === 'email.delivery_status') {
        const e = (event as DomainEvent<'email.delivery_status'>).data;
        agents.to(rooms.conversation(e.conversationId)).to(rooms.supervisors).emit('email:status', e);
      } else {
        const e = (event as DomainEvent<'channel.delivery_status'>).data;
        agents.to(rooms.conversation(e.conversationId)).to(rooms.supervisors).emit('channel:status', e);
      }
    },
  };
}
