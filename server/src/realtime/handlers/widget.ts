import { rooms } from '@autocrm/shared';
import { assertVisitorCanSeeConversation } from '../../domain/access/gate';
import { requestPerson } from '../../domain/bot/request-person';
import { listVisitorConversations, startVisitorConversation } from '../../domain/widget/visitors';
import type { RealtimeContext } from '../context';
import { handle } from '../safe-handler';
import type { IoSocket } from '../types';
import { senderKey } from './rooms';

/** Visitor-only events: open a conversation, list one's own. */
export async function setupVisitorSocket(ctx: RealtimeContext, socket: IoSocket): Promise<void> {
  const d = socket.data;
  if (d.kind !== 'visitor') return;
  await socket.join(rooms.visitor(d.visitor.visitorId));

  handle(socket, 'conversation:start', ctx.logger, async (p) => {
    await ctx.rateLimits.socketSends.spend(senderKey(socket));
    const started = await startVisitorConversation(ctx.db, { visitor: d.visitor, ...p });
    await socket.join(rooms.conversation(started.conversationId));
    return started;
  });

  handle(socket, 'bot:handoff', ctx.logger, async ({ conversationId }) => {
    await assertVisitorCanSeeConversation(ctx.db, { visitor: d.visitor, conversationId });
    const handedOff = await requestPerson(ctx.db, { conversationId, reason: 'customer_request' });
    return { handedOff };
  });

  handle(socket, 'conversation:list', ctx.logger, async () => ({
    conversations: await listVisitorConversations(ctx.db, d.visitor),
  }));
}
