import { type DomainEvent, NAMESPACES, rooms } from '@autocrm/shared';
import type { EventListener } from '../events/listener';
import type { ListenerContext } from './context';

/**
 * A live widget of a contact that was merged into another still speaks as the deleted contact: it is
 * asked to reconnect (`session:ended` with `conflict`), and its new connection is the survivor, with
 * the survivor's conversations in its list.
 */
export function reconnectMergedVisitorsListener(ctx: ListenerContext): EventListener {
  return {
    name: 'reconnect-merged-visitors',
    events: ['contact.merged'],
    async afterCommit(event) {
      const io = ctx.realtime()?.io;
      if (!io) return;
      const { movedVisitorIds } = (event as DomainEvent<'contact.merged'>).data;
      const widget = io.of(NAMESPACES.widget);
      for (const id of movedVisitorIds) {
        for (const s of await widget.in(rooms.visitor(id)).fetchSockets()) {
          s.emit('session:ended', { code: 'conflict', message: 'this visitor is now part of another contact: reconnect' });
          s.disconnect(true);
        }
      }
    },
  };
}
