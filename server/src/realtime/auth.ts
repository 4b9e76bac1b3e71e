import { AppError } from '@autocrm/shared';
import { fromOwnOrigin } from '../domain/access/own-origin';
import { hasScope } from '../domain/actor';
import { resolveApiKey } from '../domain/auth/api-keys';
import { sessionFromCookieHeader } from '../domain/auth/session-cookie';
import { resolvePortalLiveToken } from '../domain/portal/live-token';
import { resolveVisitor } from '../domain/widget/visitors';
import type { Db } from '../storage/db';
import { databaseUnavailable, isConnectionError } from '../storage/db-unavailable';
import type { IoSocket } from './types';

type Next = (err?: Error) => void;

const refuse = (code: 'unauthenticated' | 'forbidden' | 'unavailable' | 'internal', message: string) => {
  const err = new Error(message) as Error & { data: { code: string } };
  err.data = { code };
  return err;
};

// A failure while checking credentials (the database away, a bug) reaches the client as a code and a
// plain message, never the driver's text (which names internal addresses). `unavailable` tells the
// client to try again; `unauthenticated`/`forbidden` are final.
const refuseFailure = (err: unknown) => {
  if (err instanceof AppError) return refuse(err.code === 'unavailable' ? 'unavailable' : 'unauthenticated', err.message);
  if (isConnectionError(err)) return refuse('unavailable', databaseUnavailable().message);
  return refuse('internal', 'something went wrong on our side');
};

/**
 * Agents: an API key (`auth.apiKey`) with conversations:read, or the session cookie. Runs on every
 * connection, so every reconnect is checked again: a logged-out session or a deactivated user gets in
 * nowhere. A cookie is only honored from our own origin (or a non-browser client without Origin), so
 * another site cannot ride an agent's cookie into a socket.
 */
export const authenticateAgent = (db: Db, publicUrl: string | undefined) => async (socket: IoSocket, next: Next) => {
  try {
    const auth = (socket.handshake.auth ?? {}) as { apiKey?: unknown };
    if (typeof auth.apiKey === 'string') {
      const actor = await resolveApiKey(db, auth.apiKey);
      if (!actor) return next(refuse('unauthenticated', 'the API key is invalid or revoked'));
      if (!hasScope(actor, 'conversations:read')) return next(refuse('forbidden', 'this needs the conversations:read scope'));
      socket.data = {
        kind: 'agent',
        actor,
        sessionId: undefined,
        userId: null,
        name: `API key ${actor.id.slice(0, 8)}`,
        presence: 'online',
        strikes: [],
      };
      return next();
    }
    const { origin, host } = socket.handshake.headers;
    if (!fromOwnOrigin({ origin, host, publicUrl })) {
      return next(refuse('forbidden', 'cross-origin agent connections are not allowed'));
    }
    const session = await sessionFromCookieHeader(db, socket.handshake.headers.cookie);
    if (!session) return next(refuse('unauthenticated', 'sign in first'));
    socket.data = {
      kind: 'agent',
      actor: session.actor,
      sessionId: session.sessionId,
      userId: session.actor.id,
      name: session.actor.name,
      presence: 'online',
      strikes: [],
    };
    next();
  } catch (err) {
    next(refuseFailure(err));
  }
};

/**
 * Widget visitors: the inbox's public website token plus the visitor token the server issued. Portal
 * pages come into the same namespace (so every room broadcast reaches them too) with their live token.
 */
export const authenticateVisitor = (db: Db) => async (socket: IoSocket, next: Next) => {
  try {
    const auth = (socket.handshake.auth ?? {}) as { websiteToken?: unknown; visitorToken?: unknown; portalLive?: unknown };
    if (typeof auth.portalLive === 'string') {
      const customer = await resolvePortalLiveToken(db, auth.portalLive);
      if (!customer) return next(refuse('unauthenticated', 'the portal session ended; sign in again'));
      socket.data = { kind: 'customer', customer, strikes: [] };
      return next();
    }
    if (typeof auth.websiteToken !== 'string' || typeof auth.visitorToken !== 'string') {
      return next(refuse('unauthenticated', 'websiteToken and visitorToken are required'));
    }
    const visitor = await resolveVisitor(db, { websiteToken: auth.websiteToken, visitorToken: auth.visitorToken });
    if (!visitor) return next(refuse('unauthenticated', 'unknown visitor for this website'));
    socket.data = { kind: 'visitor', visitor, strikes: [] };
    next();
  } catch (err) {
    next(refuseFailure(err));
  }
};
