import type { ClientToServerEvents, PresenceStatus, ServerToClientEvents } from '@autocrm/shared';
import type { Namespace, Server, Socket } from 'socket.io';
import type { AccessChange } from '../domain/access/live-access';
import type { Actor } from '../domain/actor';
import type { PortalCustomer } from '../domain/portal/sessions';
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
  | { kind: 'visitor'; visitor: VisitorContext; strikes: number[] }
  /** A portal page (widget namespace, read-only): the customer's own rooms, replies go through the portal API. */
  | { kind: 'customer'; customer: PortalCustomer; strikes: number[] };

/** Between server processes (through the adapter): access changes to re-check, acknowledged. */
export interface InterServerEvents {
  'access:changed': (changes: AccessChange[], ack: (ok: boolean) => void) => void;
}

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type IoNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
