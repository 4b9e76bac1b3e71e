import { type DomainEvent, rooms } from '@autocrm/shared';
import type { EventListener } from '../events/listener';
import type { ListenerContext } from './context';

/**
 * Notifications marked read reach every tab of that agent (on every process, through the adapter), so
 * the badge and the centre agree everywhere; a tab that misses it reads the count on its next load.
 */
export function announceNotificationsRead(ctx: ListenerContext): EventListener {
  return {
    name: 'notifications-read',
    events: ['notifications.read'],
    afterCommit(event: DomainEvent) {
      const { userId, unread, ids } = (event as DomainEvent<'notifications.read'>).data;
      ctx.realtime()?.agents.to(rooms.user(userId)).emit('notifications:read', { unread, ids });
    },
  };
}
