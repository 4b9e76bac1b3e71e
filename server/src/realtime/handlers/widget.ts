import { AppError, RequestPerson, rooms, StartConversation } from '@autocrm/shared';
import { z } from 'zod';
import { requestPerson } from '../../domain/bot/request-person';
import { listVisitorConversations, startVisitorConversation, visitorOwnsConversation } from '../../domain/widget/visitors';
import type { RealtimeContext } from '../context';
import { handle } from '../safe-handler';
import type { IoSocket } from '../types';
import { senderKey } from './rooms';

/** Visitor-only events: open a conversation, list one's own. */
export async function setupVisitorSocket(ctx: RealtimeContext, socket: IoSocket): Promise<void> {
  const d = socket.data;
  if (d.kind !== 'visitor') return;
  await socket.join(rooms.visitor(d.visitor.visitorId));

  handle(socket, 'conversation:start', StartConversation, ctx.logger, async (p) => {
    await ctx.rateLimits.socketSends.spend(senderKey(socket));
    const started = await startVisitorConversation(ctx.db, { visitor: d.visitor, ...p });
    await socket.join(rooms.conversation(started.conversationId));
    ctx.relay.poke();
    return started;
  });

  handle(socket, 'bot:handoff', RequestPerson, ctx.logger, async ({ conversationId }) => {
    if (!(await visitorOwnsConversation(ctx.db, { visitor: d.visitor, conversationId })))
      throw new AppError('not_found', 'conversation not found');
    const handedOff = await requestPerson(ctx.db, { conversationId, reason: 'customer_request' });
    if (handedOff) ctx.relay.poke();
    return { handedOff };
  });

  handle(socket, 'conversation:list', z.object({}).strict().optional(), ctx.logger, async () => ({
    conversations: await listVisitorConversations(ctx.db, d.visitor),
  }));
}
