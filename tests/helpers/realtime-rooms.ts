import { RoomClient } from '@autocrm/shared/realtime-client';
import { afterAll, beforeAll, expect } from 'vitest';
import { call, connected, newVisitor, type TestSocket, visitorSocket } from './sockets';
import { startTestServer, type TestServer } from './test-server';

// The server and helpers the live-room test files share (realtime-delivery, realtime-access). `s` and
// `websiteToken` are live bindings: `useRoomServer()` inside a describe starts the server before its
// tests and sets them; every socket or room client passed to `track` is closed after them.

export let s: TestServer;
export let websiteToken: string;
const sockets: (TestSocket | RoomClient)[] = [];

export const track = <T extends TestSocket | RoomClient>(x: T) => {
  sockets.push(x);
  return x;
};

export function useRoomServer() {
  beforeAll(async () => {
    s = await startTestServer();
    const inboxes = await s.req('GET', '/inboxes', { auth: s.admin });
    websiteToken = inboxes.body.data.find((i: { id: string }) => i.id === s.inboxId).websiteToken;
  });
  afterAll(async () => {
    for (const x of sockets) x instanceof RoomClient ? x.close() : x.disconnect();
    await s?.close();
  });
}

/** A new visitor on the test inbox's website, connected, with a conversation started by `first`. */
export async function visitorWithConversation(first = 'Hello, I need help') {
  const v = await newVisitor(s.url, websiteToken);
  const socket = track(visitorSocket(s.url, websiteToken, v.visitorToken));
  await connected(socket);
  const started = await call(socket, 'conversation:start', { clientId: crypto.randomUUID(), body: first });
  expect(started.ok).toBe(true);
  return { ...v, socket, conversationId: started.conversationId as string };
}
