import type { ClientToServerEvents, PresenceStatus, ServerToClientEvents } from '@autocrm/shared';
import type { Namespace, Server, Socket } from 'socket.io';
import type { Actor } from '../domain/actor';
import type { VisitorContext } from '../domain/widget/visitors';

/** What the server knows about each socket, set by the namespace's auth middleware. */
export type SocketData =
  | {
      kind: 'agent';
      actor: Actor;
      /** Present when the socket signed in with a session cookie (not an API key). */
      sessionId: string | undefined;
      userId: string | null;
      name: string;
      presence: Exclude<PresenceStatus, 'offline'>;
      strikes: number[];
    }
  | { kind: 'visitor'; visitor: VisitorContext; strikes: number[] };

// biome-ignore lint/complexity/noBannedTypes: no inter-server events
export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, {}, SocketData>;
// biome-ignore lint/complexity/noBannedTypes: no inter-server events
export type IoNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, {}, SocketData>;
// biome-ignore lint/complexity/noBannedTypes: no inter-server events
export type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, {}, SocketData>;
