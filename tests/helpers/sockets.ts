import type { Ack, BotStreamEvent, ClientToServerEvents, RoomEvent, ServerToClientEvents } from '@autocrm/shared';
import { io, type Socket } from 'socket.io-client';
import type { Session, TestServer } from './test-server';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** An agent socket signed in with a session cookie (as a browser on our origin would be). */
export function agentSocket(url: string, session: Session, opts: { autoConnect?: boolean } = {}): TestSocket {
  return io(`${url}/agent`, {
    transports: ['websocket'],
    extraHeaders: { cookie: session.cookie },
    reconnection: false,
    forceNew: true,
    autoConnect: opts.autoConnect ?? true,
  });
}

/** The website token of the test server's web inbox (what a widget embed carries). */
export async function websiteTokenOf(s: TestServer): Promise<string> {
  const inboxes = await s.req('GET', '/inboxes', { auth: s.admin });
  return inboxes.body.data.find((i: { id: string }) => i.id === s.inboxId).websiteToken;
}

export async function newVisitor(url: string, websiteToken: string): Promise<{ visitorToken: string; contactId: string }> {
  const res = await fetch(`${url}/widget-api/v1/visitors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ websiteToken }),
  });
  if (res.status !== 201) throw new Error(`visitor: ${res.status} ${await res.text()}`);
  return (await res.json()) as { visitorToken: string; contactId: string };
}

export function visitorSocket(url: string, websiteToken: string, visitorToken: string): TestSocket {
  return io(`${url}/widget`, {
    transports: ['websocket'],
    auth: { websiteToken, visitorToken },
    reconnection: false,
    forceNew: true,
  });
}

export function connected(socket: TestSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
}

/** Resolves with the connect_error a refused socket gets. */
export function refused(socket: TestSocket): Promise<Error & { data?: { code?: string } }> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('connected but should have been refused')));
    socket.once('connect_error', (err) => resolve(err as Error & { data?: { code?: string } }));
  });
}

/** Emits with an ack and returns it, failing the test on an ack timeout. */
export async function call<E extends keyof ClientToServerEvents>(
  socket: TestSocket,
  event: E,
  payload: Parameters<ClientToServerEvents[E]>[0],
): Promise<any> {
  return (socket.timeout(10_000) as any).emitWithAck(event, payload) as Promise<Ack<any>>;
}

/** Collects every event of one kind a socket receives. */
export function collect<E extends keyof ServerToClientEvents>(
  socket: TestSocket,
  event: E,
): Parameters<ServerToClientEvents[E]>[0][] {
  const seen: Parameters<ServerToClientEvents[E]>[0][] = [];
  (socket as any).on(event, (e: Parameters<ServerToClientEvents[E]>[0]) => seen.push(e));
  return seen;
}

/** A widget visitor in a room they just started, recording every message and bot stream frame. */
export interface VisitorChat {
  socket: TestSocket;
  events: RoomEvent[];
  streams: BotStreamEvent[];
  conversationId: string;
}

/** A new visitor starts a conversation with its first message and joins the room (the bot tests' opening). */
export async function startVisitorChat(url: string, websiteToken: string, body: string): Promise<VisitorChat> {
  const v = await newVisitor(url, websiteToken);
  const socket = visitorSocket(url, websiteToken, v.visitorToken);
  await connected(socket);
  const events: RoomEvent[] = [];
  const streams: BotStreamEvent[] = [];
  socket.on('message', (e) => events.push(e));
  socket.on('bot:stream', (e) => streams.push(e));
  const started = await call(socket, 'conversation:start', { clientId: `c-${Math.random()}`, body });
  if (!started.ok) throw new Error(`conversation:start failed: ${started.error.message}`);
  const joined = await call(socket, 'room:join', { conversationId: started.conversationId, lastSeq: 0 });
  if (!joined.ok) throw new Error(`room:join failed: ${joined.error.message}`);
  events.push(...joined.events);
  return { socket, events, streams, conversationId: started.conversationId };
}
