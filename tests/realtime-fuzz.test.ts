import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentSocket, call, collect, connected, newVisitor, type TestSocket, visitorSocket } from './helpers/sockets';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

const EVENTS = [
  'room:join',
  'room:leave',
  'room:sync',
  'message:send',
  'message:edit',
  'message:delete',
  'typing',
  'read',
  'presence:set',
  'conversation:start',
  'conversation:list',
  'nonsense',
  '',
];

describe(`malformed socket frames (${BACKEND})`, () => {
  let s: TestServer;
  let websiteToken: string;
  const open: TestSocket[] = [];
  beforeAll(async () => {
    s = await startTestServer();
    websiteToken = (await s.req('GET', '/inboxes', { auth: s.admin })).body.data[0].websiteToken;
  });
  afterAll(async () => {
    for (const x of open) x.disconnect();
    await s?.close();
  });

  it('answers garbage with error acks, never crashes, and keeps serving', async () => {
    const v = await newVisitor(s.url, websiteToken);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...EVENTS),
        fc.oneof(fc.anything(), fc.jsonValue(), fc.object()),
        fc.boolean(),
        async (event, payload, viaAgent) => {
          // A fresh socket per run: the garbage limit would otherwise disconnect it mid-property.
          const socket = viaAgent ? agentSocket(s.url, s.admin) : visitorSocket(s.url, websiteToken, v.visitorToken);
          open.push(socket);
          await connected(socket);
          const ack = await (socket.timeout(5000) as any)
            .emitWithAck(event, payload)
            .catch((err: Error) => ({ timeout: err.message }));
          socket.disconnect();
          // Every frame sent with an ack gets a well-formed answer, whatever it carried.
          expect(ack).not.toHaveProperty('timeout');
          expect(typeof ack.ok).toBe('boolean');
          if (ack.ok === false) expect(typeof ack.error.code).toBe('string');
        },
      ),
      { numRuns: 120 },
    );
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    // Still serving real traffic afterwards.
    const socket = visitorSocket(s.url, websiteToken, v.visitorToken);
    open.push(socket);
    await connected(socket);
    expect((await call(socket, 'conversation:start', { clientId: 'after-fuzz', body: 'still alive?' })).ok).toBe(true);
  });

  it('disconnects a socket that keeps sending garbage, and drops oversized frames', async () => {
    const agent = agentSocket(s.url, s.admin);
    open.push(agent);
    await connected(agent);
    const ended = collect(agent, 'session:ended');
    const first = await call(agent, 'message:send', { conversationId: 'not-a-uuid', clientId: 1, body: {} } as never);
    expect(first).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    for (let i = 0; i < 12; i++) (agent as unknown as { emit(e: string, p: unknown): void }).emit('room:join', { evil: i });
    await waitFor(() => ended.length === 1 && !agent.connected);
    expect(ended[0]?.code).toBe('validation_failed');

    const big = agentSocket(s.url, s.admin);
    open.push(big);
    await connected(big);
    const disconnected = new Promise<string>((r) => big.once('disconnect', (reason) => r(reason)));
    (big as unknown as { emit(e: string, p: unknown): void }).emit('typing', { conversationId: 'x'.repeat(600 * 1024) });
    expect(await disconnected).toBe('transport close');
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  });
});
