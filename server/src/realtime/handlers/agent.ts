import { AppError, rooms } from '@autocrm/shared';
import { canSupervise, queueInboxIds, visibleConversationIds } from '../../domain/access/gate';
import { unreadCounts } from '../../domain/rooms/read-cursors';
import type { RealtimeContext } from '../context';
import type { Presence } from '../presence';
import { handle } from '../safe-handler';
import type { IoSocket } from '../types';

/** On connect: join the queues this agent may see, announce presence, and handle presence changes. */
export async function setupAgentSocket(ctx: RealtimeContext, presence: Presence, socket: IoSocket): Promise<void> {
  const d = socket.data;
  if (d.kind !== 'agent') return;
  handle(socket, 'unread:counts', ctx.logger, async ({ conversationIds }) => {
    if (!d.userId) return { counts: {} };
    // Only conversations this agent may see are counted; others are simply absent from the answer.
    const ids = await visibleConversationIds(ctx.db, { actor: d.actor, ids: conversationIds });
    const counts = await unreadCounts(ctx.db, { userId: d.userId, conversationIds: ids });
    return { counts: Object.fromEntries(ids.map((id) => [id, counts.get(id) ?? 0])) };
  });

  // The firehose of every room is opt-in (the supervisor live view), so a supervisor who is just
  // working conversations does not receive the whole workspace's traffic.
  handle(socket, 'supervise', ctx.logger, async ({ on }) => {
    if (!canSupervise(d.actor)) throw new AppError('forbidden', 'only supervisors and admins can watch every room');
    if (on) await socket.join(rooms.supervisors);
    else await socket.leave(rooms.supervisors);
    return {};
  });

  handle(socket, 'presence:set', ctx.logger, async ({ status }) => {
    if (socket.data.kind === 'agent') socket.data.presence = status;
    if (d.userId) await presence.announce(d.userId, d.name);
    return {};
  });

  // Handlers first, then the awaits: an event sent right after connecting must find its handler.
  const inboxes = await queueInboxIds(ctx.db, d.actor);
  await socket.join(inboxes.map((id) => rooms.inboxQueue(id)));
  if (d.userId) await socket.join(rooms.user(d.userId));
  if (d.sessionId) await socket.join(rooms.session(d.sessionId));
  if (d.userId) await presence.announce(d.userId, d.name);
}
