import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Redis as RedisExtension } from '@hocuspocus/extension-redis';
import { type Extension, Hocuspocus, type onAuthenticatePayload } from '@hocuspocus/server';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Config } from '../config';
import { canSeeConversation } from '../domain/access/gate';
import { type AccessChange, concerns } from '../domain/access/live-access';
import { fromOwnOrigin } from '../domain/access/own-origin';
import type { Actor } from '../domain/actor';
import { sessionFromCookieHeader } from '../domain/auth/session-cookie';
import { resolveSessionById } from '../domain/auth/sessions';
import type { RateLimits } from '../ops/rate-limits';
import type { Db } from '../storage/db';
import { conversationIdOf } from './document-name';
import { draftStore } from './draft-store';

export const COLLAB_PATH = '/collab';

export interface Collab {
  hocuspocus: Hocuspocus;
  /** Checks this process's open draft connections again after an access change; closes what lost access. */
  recheck(changes: AccessChange[]): Promise<void>;
  close(): Promise<void>;
}

/** What an authenticated upgrade hands to Hocuspocus as the connection's context. */
interface CollabContext {
  actor: Extract<Actor, { kind: 'user' }>;
  userId: string;
  sessionId: string;
}

/**
 * Shared reply drafts: Hocuspocus (Yjs) on the API's HTTP server at /collab. Socket.IO keeps its own
 * upgrade path; this handler answers only /collab. The session cookie is checked before the upgrade
 * (and only from our own origin, like the agent socket); which draft a connection may open is checked
 * per document in onAuthenticate. With REDIS_URL, the Redis extension lets agents on different
 * processes edit the same draft.
 */
export function createCollab(props: {
  httpServer: HttpServer;
  db: Db;
  config: Config;
  logger: Logger;
  rateLimits: RateLimits;
}): Collab {
  const { httpServer, db, config, logger, rateLimits } = props;
  const extensions: Extension[] = [draftStore(db)];
  if (config.REDIS_URL) {
    const url = config.REDIS_URL;
    extensions.push(
      new RedisExtension({
        prefix: `${config.REDIS_PREFIX}:collab`,
        createClient: () => {
          const r = new Redis(url, { maxRetriesPerRequest: null });
          r.on('error', (err) => logger.warn({ err: err.message }, 'collab redis connection problem'));
          return r;
        },
      }),
    );
  }
  const hocuspocus = new Hocuspocus({
    name: 'autocrm-collab',
    quiet: true,
    debounce: 1000,
    maxDebounce: 5000,
    extensions,
    async onAuthenticate({ documentName, context }: onAuthenticatePayload) {
      const ctx = context as CollabContext;
      const conversationId = conversationIdOf(documentName);
      if (!conversationId || !ctx?.actor) throw new Error('forbidden');
      if (!(await canSeeConversation(db, { actor: ctx.actor, conversationId }))) throw new Error('not found');
      return ctx;
    },
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });
  const refuse = (socket: Duplex, status: number, text: string) => {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };

  // Each connection has a budget of frames; a client past it is cut off (code 4429) and its provider
  // reconnects, spending the per-user connection budget. (The frame that overdraws is still handled.)
  let connections = 0;
  const limitFrames = (ws: WebSocket) => {
    const key = `c${++connections}`;
    ws.on('message', () => {
      rateLimits.collabMessages.take(key).then(
        (allowed) => {
          if (!allowed && ws.readyState === ws.OPEN) ws.close(4429, 'rate limited');
        },
        () => {},
      );
    });
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0]!;
    if (path !== COLLAB_PATH && !path.startsWith(`${COLLAB_PATH}/`)) return; // Socket.IO's, or nobody's
    socket.on('error', () => {});
    if (!fromOwnOrigin({ origin: req.headers.origin, host: req.headers.host, publicUrl: config.PUBLIC_URL })) {
      return refuse(socket, 403, 'Forbidden');
    }
    sessionFromCookieHeader(db, req.headers.cookie)
      .then((session) => {
        if (!session) return refuse(socket, 401, 'Unauthorized');
        return rateLimits.collabConnections.take(session.actor.id).then((allowed) => {
          if (!allowed) return refuse(socket, 429, 'Too Many Requests');
          const context: CollabContext = { actor: session.actor, userId: session.actor.id, sessionId: session.sessionId };
          wss.handleUpgrade(req, socket, head, (ws) => {
            limitFrames(ws);
            hocuspocus.handleConnection(ws, req, context);
          });
        });
      })
      .catch((err) => {
        logger.error({ err }, 'collab upgrade failed');
        refuse(socket, 500, 'Internal Server Error');
      });
  };
  httpServer.on('upgrade', onUpgrade);

  return {
    hocuspocus,
    async recheck(changes) {
      const checks: Promise<void>[] = [];
      for (const document of hocuspocus.documents.values()) {
        for (const connection of document.getConnections()) {
          const ctx = connection.context as CollabContext;
          const who = { userId: ctx.userId, sessionId: ctx.sessionId, apiKeyId: undefined };
          if (!changes.some((c) => concerns(c, who))) continue;
          checks.push(
            (async () => {
              const session = await resolveSessionById(db, ctx.sessionId);
              const conversationId = conversationIdOf(document.name);
              if (session && conversationId && (await canSeeConversation(db, { actor: session.actor, conversationId }))) {
                ctx.actor = session.actor;
                return;
              }
              // Out of the document at once (no more updates reach it), then the whole socket: the
              // provider reconnects and is admitted again only to the drafts it may still open.
              connection.close({ code: 4403, reason: 'access changed' });
              connection.webSocket.terminate();
            })(),
          );
        }
      }
      await Promise.all(checks);
    },
    async close() {
      httpServer.off('upgrade', onUpgrade);
      // Closing the connections stores every open draft at once (the last editor left).
      hocuspocus.closeConnections();
      const deadline = Date.now() + 5000;
      while (hocuspocus.getDocumentsCount() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const c of wss.clients) c.terminate();
      wss.close();
      await hocuspocus.hooks('onDestroy', { instance: hocuspocus });
    },
  };
}
