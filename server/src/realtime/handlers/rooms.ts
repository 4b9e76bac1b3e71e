import { AppError, type Participant, rooms } from '@autocrm/shared';
import {
  assertCanSeeConversation,
  assertCustomerCanSeeConversation,
  assertVisitorCanSeeConversation,
} from '../../domain/access/gate';
import { actorLabel, hasScope } from '../../domain/actor';
import { requestPerson } from '../../domain/bot/request-person';
import { reviseMessage } from '../../domain/messages/revise-message';
import { roomJoin } from '../../domain/rooms/join-state';
import { markRead } from '../../domain/rooms/read-cursors';
import { roomEventsAfter } from '../../domain/rooms/replay';
import { waitingNoticeFor } from '../../domain/routing/waiting-notice';
import { typingPreviewEnabled } from '../../domain/widget/settings';
import { bindAttachments, checkAttachments } from '../../domain/widget/uploads';
import type { RealtimeContext } from '../context';
import { handle } from '../safe-handler';
import type { IoSocket } from '../types';

/** Live typing preview: at most one draft per socket this often, re-reading the inbox's setting this often. */
const PREVIEW_MIN_GAP_MS = 200;
const PREVIEW_SETTING_TTL_MS = 5000;
const PREVIEW_MAX_CHARS = 500;

const REPLAY_PAGE = 200;

export function participantOf(socket: IoSocket): Participant {
  const d = socket.data;
  if (d.kind === 'agent') return { kind: 'agent', id: d.userId, name: d.name };
  return d.kind === 'visitor'
    ? { kind: 'contact', id: d.visitor.contactId, name: d.visitor.name }
    : { kind: 'contact', id: d.customer.contactId, name: null };
}

/** The contact a customer-side socket (widget visitor or portal page) speaks for. */
const contactOf = (d: Exclude<IoSocket['data'], { kind: 'agent' }>) =>
  d.kind === 'visitor' ? d.visitor.contactId : d.customer.contactId;

/** Throws not_found unless this socket may see the conversation (agents: their inboxes; visitors: their own). */
// Conversations a visitor socket has been found to own. A conversation never changes contact or inbox,
// so the answer holds for the socket's life and each send skips a query (the message path's hottest).
const ownedBySocket = new WeakMap<IoSocket, Set<string>>();

/** Who is sending, for rate limits: the visitor, the user or the API key (not the socket: one can open many). */
export function senderKey(socket: IoSocket): string {
  const d = socket.data;
  if (d.kind === 'visitor') return `v:${d.visitor.visitorId}`;
  if (d.kind === 'customer') return `c:${d.customer.contactId}`;
  return d.userId ? `u:${d.userId}` : `k:${d.actor.kind === 'api_key' ? d.actor.id : 'system'}`;
}

/** Lookups that find nothing are counted: probing for conversation ids runs out of budget quickly. */
async function assertAccess(ctx: RealtimeContext, socket: IoSocket, conversationId: string): Promise<void> {
  const key = senderKey(socket);
  await ctx.rateLimits.roomMisses.assertLeft(key);
  try {
    await checkAccess(ctx, socket, conversationId);
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found') await ctx.rateLimits.roomMisses.record(key);
    throw err;
  }
}

async function checkAccess(ctx: RealtimeContext, socket: IoSocket, conversationId: string): Promise<void> {
  const d = socket.data;
  if (d.kind !== 'agent') {
    const owned = ownedBySocket.get(socket) ?? new Set<string>();
    if (owned.has(conversationId)) return;
    if (d.kind === 'visitor') await assertVisitorCanSeeConversation(ctx.db, { visitor: d.visitor, conversationId });
    else await assertCustomerCanSeeConversation(ctx.db, { customer: d.customer, conversationId });
    owned.add(conversationId);
    ownedBySocket.set(socket, owned);
    return;
  }
  await assertCanSeeConversation(ctx.db, { actor: d.actor, conversationId });
}

function assertCanWrite(socket: IoSocket): void {
  const d = socket.data;
  if (d.kind === 'agent' && !hasScope(d.actor, 'conversations:write')) {
    throw new AppError('insufficient_scope', 'this needs the conversations:write scope');
  }
  // A portal page reads live; its replies go through the portal API (the same path with JavaScript or without).
  if (d.kind === 'customer') throw new AppError('forbidden', 'the portal replies through its API');
}

/** Room events both namespaces speak: join with resume, sync, send, edit, delete, typing, read. */
export function registerRoomHandlers(ctx: RealtimeContext, socket: IoSocket): void {
  const { db, logger } = ctx;
  const includePrivate = socket.data.kind === 'agent';
  /** Rooms where this socket's last typing signal passed on was "typing". */
  const typingIn = new Set<string>();

  handle(socket, 'room:join', logger, async ({ conversationId, lastSeq }) => {
    await assertAccess(ctx, socket, conversationId);
    // Join before reading: anything committed from here on arrives live, anything before is in the
    // replay; the overlap is dropped by seq on the client.
    await socket.join(rooms.conversation(conversationId));
    const { events, hasMore, ...state } = await roomJoin(db, {
      conversationId,
      afterSeq: lastSeq,
      limit: REPLAY_PAGE,
      includePrivate,
    });
    const viewers = includePrivate ? await ctx.broadcastViewers(conversationId) : [];
    // A visitor coming back (a reload, another tab) while still waiting sees the queue notice again.
    if (!includePrivate && state.queued) {
      const queued = await waitingNoticeFor(db, conversationId);
      if (queued) socket.emit('queue:position', { conversationId, ...queued });
    }
    return { events, hasMore, lastSeq: state.lastSeq, readCursors: state.readCursors, viewers };
  });

  handle(socket, 'room:leave', logger, async ({ conversationId }) => {
    await socket.leave(rooms.conversation(conversationId));
    if (includePrivate) await ctx.broadcastViewers(conversationId);
    return {};
  });

  handle(socket, 'room:sync', logger, async ({ conversationId, afterSeq, limit }) => {
    await assertAccess(ctx, socket, conversationId);
    return roomEventsAfter(db, { conversationId, afterSeq, limit, includePrivate });
  });

  handle(socket, 'message:send', logger, async (p) => {
    assertCanWrite(socket);
    await ctx.rateLimits.socketSends.spend(senderKey(socket));
    await assertAccess(ctx, socket, p.conversationId);
    const d = socket.data;
    if (d.kind !== 'agent' && p.private) throw new AppError('forbidden', 'visitors cannot write internal notes');
    const owner = d.kind !== 'agent' ? `contact:${contactOf(d)}` : actorLabel(d.actor);
    const attachmentIds = await checkAttachments(ctx.uploadsDir, {
      owner,
      conversationId: p.conversationId,
      attachments: p.attachments,
    });
    const result = await ctx.sends.send({
      conversationId: p.conversationId,
      authorKind: d.kind === 'agent' ? 'agent' : 'contact',
      authorId: d.kind === 'agent' ? d.userId : contactOf(d),
      body: p.body,
      private: p.private,
      clientId: p.clientId,
      attachments: p.attachments,
    });
    await bindAttachments({ dir: ctx.uploadsDir, ids: attachmentIds, conversationId: p.conversationId });
    return { clientId: p.clientId, seq: result.message.seq, id: result.message.id };
  });

  const revise = async (
    p: { conversationId: string; messageId: string },
    change: { kind: 'edit'; body: string } | { kind: 'delete' },
  ) => {
    assertCanWrite(socket);
    // Edits and deletions spend the same budget as sends: each is a stored event fanned out to the room.
    await ctx.rateLimits.socketSends.spend(senderKey(socket));
    await assertAccess(ctx, socket, p.conversationId);
    const d = socket.data;
    const { seq } = await reviseMessage(db, {
      conversationId: p.conversationId,
      messageId: p.messageId,
      editor: d.kind === 'agent' ? { kind: 'agent', actor: d.actor } : { kind: 'contact', contactId: contactOf(d) },
      change,
    });
    return { seq };
  };
  handle(socket, 'message:edit', logger, (p) => revise(p, { kind: 'edit', body: p.body }));
  handle(socket, 'message:delete', logger, (p) => revise(p, { kind: 'delete' }));

  handle(socket, 'typing', logger, async ({ conversationId, typing }) => {
    // Only rooms the socket has joined (and so was allowed into) get its typing signal.
    if (!socket.rooms.has(rooms.conversation(conversationId))) throw new AppError('forbidden', 'join the room first');
    // Past its budget a typing signal is dropped, not refused: a chatty client gets no error to retry on.
    // A "stopped" that ends a "typing" this socket passed on always goes through, so no indicator sticks.
    const ends = !typing && typingIn.has(conversationId);
    if (!ends && !(await ctx.rateLimits.typing.take(senderKey(socket)))) return {};
    if (typing) typingIn.add(conversationId);
    else typingIn.delete(conversationId);
    const participant = participantOf(socket);
    ctx.emitTyping(socket, conversationId, participant, typing);
    // An agent starting to type takes the room from the bot, so the two never answer at once.
    if (typing && participant.kind === 'agent' && participant.id) {
      await requestPerson(db, { conversationId, reason: 'agent_typing', actorId: participant.id });
    }
    return {};
  });

  // Live typing preview: the visitor's draft goes to the agents in the room, only when the inbox has it on (the
  // widget does not send it otherwise; this check stops a client that ignores the setting). Never stored.
  const previewOn = new Map<string, { on: boolean; until: number }>();
  let lastPreviewAt = 0;
  handle(socket, 'typing:preview', logger, async ({ conversationId, draft }) => {
    if (!socket.rooms.has(rooms.conversation(conversationId))) throw new AppError('forbidden', 'join the room first');
    const now = Date.now();
    // A flood is thinned out (an emptied draft always passes, so no preview sticks).
    if (draft && now - lastPreviewAt < PREVIEW_MIN_GAP_MS) return {};
    lastPreviewAt = now;
    let cached = previewOn.get(conversationId);
    if (!cached || cached.until < now) {
      cached = { on: await typingPreviewEnabled(db, { conversationId }), until: now + PREVIEW_SETTING_TTL_MS };
      previewOn.set(conversationId, cached);
    }
    if (!cached.on) return {};
    ctx.emitTypingPreview(conversationId, participantOf(socket), draft.slice(0, PREVIEW_MAX_CHARS));
    return {};
  });

  handle(socket, 'read', logger, async ({ conversationId, seq }) => {
    await assertAccess(ctx, socket, conversationId);
    const participant = participantOf(socket);
    if (!participant.id) return {}; // API-key sockets have no read cursor of their own
    const cursor = await markRead(db, {
      conversationId,
      kind: participant.kind === 'agent' ? 'agent' : 'contact',
      participantId: participant.id,
      seq,
    });
    if (cursor !== undefined) ctx.emitRead(conversationId, participant, cursor);
    return {};
  });
}
