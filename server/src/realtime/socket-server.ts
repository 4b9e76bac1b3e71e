import type { Server as HttpServer } from 'node:http';
import { type BotStreamEvent, MAX_FRAME_BYTES, NAMESPACES, type Participant, rooms } from '@autocrm/shared';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import type { Config } from '../config';
import type { GroupCommit } from '../domain/messages/group-commit';
import type { Metrics } from '../ops/metrics';
import type { RateLimits } from '../ops/rate-limits';
import type { Db } from '../storage/db';
import { uploadStoreFor } from '../storage/uploads/select-store';
import { authenticateAgent, authenticateVisitor } from './auth';
import type { RealtimeContext } from './context';
import { setupAgentSocket } from './handlers/agent';
import { registerRoomHandlers } from './handlers/rooms';
import { setupVisitorSocket } from './handlers/widget';
import { LiveAccessHub } from './live-access-hub';
import { Presence } from './presence';
import { RedisLink, type RedisStatus } from './redis-link';
import { strike } from './safe-handler';
import type { IoNamespace, IoServer, IoSocket } from './types';

export interface Realtime {
  io: IoServer;
  /** The agents' and the widget's namespaces (listeners/ broadcast domain events through them). */
  agents: IoNamespace;
  widget: IoNamespace;
  presence: Presence;
  /** Access changes (memberships, roles, keys, sessions) re-checked on every live connection of every process. */
  access: LiveAccessHub;
  /** The bot's answer as it streams: to the room's agents, supervisors and the visitor. */
  emitBotStream(event: BotStreamEvent): void;
  /** `none` without REDIS_URL. */
  redisStatus(): RedisStatus | 'none';
  close(): Promise<void>;
}

/**
 * Socket.IO on the same HTTP server as the API. With REDIS_URL the Redis Streams adapter carries
 * broadcasts between processes (a stream, unlike plain pub/sub, survives a short Redis disconnect
 * without dropping packets); without it one process works alone.
 */
export async function createRealtime(props: {
  httpServer: HttpServer;
  db: Db;
  config: Config;
  logger: Logger;
  metrics: Metrics;
  rateLimits: RateLimits;
  /** Where sockets' messages are stored (group commit, fanned out by this process after commit). */
  sends: GroupCommit;
}): Promise<Realtime> {
  const { config, logger, db } = props;
  let redis: RedisLink | undefined;
  if (config.REDIS_URL) {
    redis = new RedisLink(config.REDIS_URL, logger, props.metrics, config.REDIS_COMMAND_TIMEOUT_MS);
    // A process started while Redis is away serves its own sockets and links up when Redis comes.
    await redis.ready(5000);
  }
  const io: IoServer = new Server(props.httpServer, {
    transports: ['websocket', 'polling'],
    maxHttpBufferSize: MAX_FRAME_BYTES,
    // The widget runs on customers' sites; agent sockets additionally check Origin before honoring a cookie.
    cors: { origin: true, credentials: false },
    ...(redis ? { adapter: redis.adapterFactory(config.REDIS_PREFIX) } : {}),
  });
  const agents = io.of(NAMESPACES.agent);
  const widget = io.of(NAMESPACES.widget);
  const presence = new Presence(agents);

  const ctx: RealtimeContext = {
    db,
    logger,
    rateLimits: props.rateLimits,
    sends: props.sends,
    uploadsDir: uploadStoreFor(config),
    async broadcastViewers(conversationId) {
      const sockets = await agents.in(rooms.conversation(conversationId)).fetchSockets();
      const byId = new Map<string, Participant>();
      for (const s of sockets) {
        if (s.data.kind === 'agent' && s.data.userId)
          byId.set(s.data.userId, { kind: 'agent', id: s.data.userId, name: s.data.name });
      }
      const viewers = [...byId.values()];
      agents.to(rooms.conversation(conversationId)).to(rooms.supervisors).emit('viewers', { conversationId, viewers });
      return viewers;
    },
    emitTyping(from, conversationId, participant, typing) {
      const event = { conversationId, participant, typing };
      const room = rooms.conversation(conversationId);
      // The sender's own socket does not need its echo; the other side always gets it.
      if (from.nsp.name === NAMESPACES.agent) {
        from.to(room).to(rooms.supervisors).emit('typing', event);
        widget.to(room).emit('typing', event);
      } else {
        agents.to(room).to(rooms.supervisors).emit('typing', event);
        from.to(room).emit('typing', event);
      }
    },
    emitTypingPreview(conversationId, participant, draft) {
      agents.to(rooms.conversation(conversationId)).emit('typing:preview', { conversationId, participant, draft });
    },
    emitRead(conversationId, participant, seq) {
      const room = rooms.conversation(conversationId);
      agents.to(room).emit('read', { conversationId, participant, seq });
      widget.to(room).emit('read', { conversationId, participant, seq });
    },
  };

  // Events this socket has no handler for (unknown, or meant for the other namespace) count as garbage.
  const onAnyGarbage = (socket: IoSocket) => {
    socket.onAny((event: unknown, ...args: unknown[]) => {
      if (typeof event === 'string' && (socket as unknown as { listeners(e: string): unknown[] }).listeners(event).length > 0)
        return;
      strike(socket);
      const ack = args.at(-1);
      if (typeof ack === 'function')
        ack({ ok: false, error: { code: 'validation_failed', message: `unknown event ${String(event).slice(0, 50)}` } });
    });
  };

  agents.use(authenticateAgent(db, config.PUBLIC_URL));
  agents.on('connection', async (socket) => {
    onAnyGarbage(socket);
    registerRoomHandlers(ctx, socket);
    try {
      await setupAgentSocket(ctx, presence, socket);
    } catch (err) {
      logger.error({ err }, 'agent socket setup failed');
      socket.disconnect(true);
    }
    let convRooms: string[] = [];
    socket.on('disconnecting', () => {
      convRooms = [...socket.rooms].filter((r) => r.startsWith('conv:'));
    });
    // After the socket has left its rooms: tell the others who is still here.
    socket.on('disconnect', () => {
      const d = socket.data;
      if (d.kind !== 'agent' || !d.userId) return;
      presence.announce(d.userId, d.name).catch(() => {});
      for (const r of convRooms) ctx.broadcastViewers(r.slice('conv:'.length)).catch(() => {});
    });
  });

  widget.use(authenticateVisitor(db));
  widget.on('connection', async (socket) => {
    onAnyGarbage(socket);
    registerRoomHandlers(ctx, socket);
    try {
      await setupVisitorSocket(ctx, socket);
    } catch (err) {
      logger.error({ err }, 'visitor socket setup failed');
      socket.disconnect(true);
    }
  });

  // Every process (through Redis, now back) tells its clients to catch up from the database.
  redis?.onCatchUp(() => {
    agents.emit('resync', { reason: 'redis' });
    widget.emit('resync', { reason: 'redis' });
  });
  const access = new LiveAccessHub(agents, db, logger, Boolean(redis));

  return {
    io,
    agents,
    widget,
    presence,
    access,
    emitBotStream(event) {
      const room = rooms.conversation(event.conversationId);
      agents.to(room).to(rooms.supervisors).emit('bot:stream', event);
      widget.to(room).emit('bot:stream', event);
    },
    redisStatus: () => redis?.status ?? 'none',
    async close() {
      // Not io.close(): that would also close the HTTP server, which server.ts owns.
      io.disconnectSockets(true);
      io.engine.close();
      for (const nsp of [agents, widget, io.of('/')]) await Promise.resolve(nsp.adapter.close?.()).catch(() => {});
      redis?.close();
    },
  };
}
