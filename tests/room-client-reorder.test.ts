import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RoomEvent } from '@autocrm/shared';
import { RoomClient } from '@autocrm/shared/realtime-client';
import { Server } from 'socket.io';
import { io as connectTo, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

/**
 * Frames of one room can overtake each other on the way from two processes. To make that happen on
 * cue, the RoomClient talks to a small socket.io relay on loopback that speaks the same events: it
 * passes joins and syncs to the real server (counting the syncs) and forwards the server's live
 * `message` frames, except that `reorder` may hold one back and let it go after a later one.
 */
interface Relay {
  url: string;
  syncs: { conversationId: string; afterSeq: number }[];
  /** Decides per live frame: 'pass', 'hold' (until `release`), or 'drop'. */
  route: (e: RoomEvent) => 'pass' | 'hold' | 'drop';
  /** Frames held back; `releaseAfter(seq)` sends them right after the frame with that seq. */
  releaseAfter: number | null;
  close(): Promise<void>;
}

async function startRelay(upstreamUrl: string, cookie: string): Promise<Relay> {
  const http = createServer();
  const server = new Server(http, { transports: ['websocket'] });
  const upstreams: Socket[] = [];
  const relay: Relay = {
    url: '',
    syncs: [],
    route: () => 'pass',
    releaseAfter: null,
    close: async () => {
      for (const u of upstreams) u.disconnect();
      await server.close();
    },
  };
  server.of('/agent').on('connection', (client) => {
    const upstream = connectTo(`${upstreamUrl}/agent`, { transports: ['websocket'], extraHeaders: { cookie }, forceNew: true });
    upstreams.push(upstream);
    client.on('disconnect', () => upstream.disconnect());
    const forward = (event: 'room:join' | 'room:sync' | 'room:leave') =>
      client.on(event, (p: unknown, ack?: (r: unknown) => void) => {
        if (event === 'room:sync') relay.syncs.push(p as Relay['syncs'][number]);
        upstream
          .timeout(10_000)
          .emit(event, p, (err: Error | null, r: unknown) =>
            ack?.(err ? { ok: false, error: { code: 'unavailable', message: 'relay: no answer' } } : r),
          );
      });
    forward('room:join');
    forward('room:sync');
    forward('room:leave');
    const held: RoomEvent[] = [];
    upstream.on('message', (e: RoomEvent) => {
      const route = relay.route(e);
      if (route === 'hold') held.push(e);
      if (route !== 'pass') return;
      client.emit('message', e);
      // Same connection, same tick: the client gets the later frame first, then the held one.
      if (e.eventSeq === relay.releaseAfter) for (const h of held.splice(0)) client.emit('message', h);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  relay.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return relay;
}

describe(`RoomClient reorders live frames by seq (${BACKEND}${process.env.REDIS_URL ? ' + redis' : ''})`, () => {
  let s: TestServer;
  let key: string;
  const closers: (() => unknown)[] = [];

  beforeAll(async () => {
    s = await startTestServer();
    key = await s.apiKey(['conversations:read', 'conversations:write']);
  });
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
    await s?.close();
  });

  async function setup(reorderGraceMs: number) {
    const relay = await startRelay(s.url, s.admin.cookie);
    closers.push(() => relay.close());
    const conv = await s.req('POST', '/conversations', {
      auth: key,
      body: { inboxId: s.inboxId, subject: 'reorder', contact: { email: 'reorder@example.com' }, message: { body: 'm1' } },
    });
    expect(conv.status, conv.text).toBe(201);
    const conversationId = conv.body.id as string;
    const client = new RoomClient({
      url: relay.url,
      namespace: '/agent',
      auth: {},
      extraHeaders: { cookie: s.admin.cookie },
      reorderGraceMs,
    });
    closers.push(() => client.close());
    const seen: string[] = [];
    client.onEvent((e) => {
      if (e.conversationId === conversationId) seen.push(`${e.eventSeq}:${e.message.bodyText}`);
    });
    await waitFor(() => client.socket.connected);
    await client.join(conversationId);
    await waitFor(() => seen.length === 1);
    const post = async (body: string) => {
      const res = await s.req('POST', `/conversations/${conversationId}/messages`, { auth: key, body: { body } });
      expect(res.status, res.text).toBe(201);
      return res.body.seq as number;
    };
    return { relay, client, seen, post, conversationId };
  }

  it('delivers in seq order without a catch-up request when the missing frame arrives within the grace', async () => {
    // A long grace: the missing frame comes right behind, but a loaded machine must not turn it into a sync.
    const { relay, seen, post } = await setup(10_000);
    relay.route = (e) => (e.message.bodyText === 'm2' ? 'hold' : 'pass');
    const seq2 = await post('m2');
    relay.releaseAfter = seq2 + 1;
    const seq3 = await post('m3');
    expect(seq3).toBe(seq2 + 1);
    await waitFor(() => seen.length === 3);
    expect(seen).toEqual(['1:m1', `${seq2}:m2`, `${seq3}:m3`]);
    expect(relay.syncs).toEqual([]);
    // And it goes on live as before.
    const seq4 = await post('m4');
    await waitFor(() => seen.length === 4);
    expect(seen.at(-1)).toBe(`${seq4}:m4`);
    expect(relay.syncs).toEqual([]);
  });

  it('asks the server once the grace is over when the gap stays open, and still delivers in order', async () => {
    const { relay, seen, post, conversationId } = await setup(300);
    // m2's frame is lost on the way: only the catch-up can fill the gap.
    relay.route = (e) => (e.message.bodyText === 'm2' ? 'drop' : 'pass');
    const seq2 = await post('m2');
    const seq3 = await post('m3');
    await waitFor(() => seen.length === 3);
    expect(seen).toEqual(['1:m1', `${seq2}:m2`, `${seq3}:m3`]);
    expect(relay.syncs).toEqual([{ conversationId, afterSeq: 1 }]);
  });
});
