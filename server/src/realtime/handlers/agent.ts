import { SetPresence, rooms } from '@autocrm/shared';
import { visibleInboxIds } from '../../domain/conversations/access';
import { handle } from '../safe-handler';
import type { IoSocket } from '../types';
import type { RealtimeContext } from '../context';
import type { Presence } from '../presence';

/** On connect: join the queues this agent may see, announce presence, and handle presence changes. */
export async function setupAgentSocket(ctx: RealtimeContext, presence: Presence, socket: IoSocket): Promise<void> {
  const d = socket.data;
  if (d.kind !== 'agent') return;
  const inboxes = await visibleInboxIds(ctx.db, d.actor);
  if (inboxes === null) {
    const all = await ctx.db.selectFrom('inboxes').select('id').execute();
    await socket.join([rooms.supervisors, ...all.map((i) => rooms.inboxQueue(i.id))]);
  } else {
    await socket.join(inboxes.map((id) => rooms.inboxQueue(id)));
  }
  if (d.userId) await socket.join(rooms.user(d.userId));
  if (d.sessionId) await socket.join(rooms.session(d.sessionId));
  if (d.userId) await presence.announce(d.userId, d.name);

  handle(socket, 'presence:set', SetPresence, ctx.logger, async ({ status }) => {
    if (socket.data.kind === 'agent') socket.data.presence = status;
    if (d.userId) await presence.announce(d.userId, d.name);
    return {};
  });
}
