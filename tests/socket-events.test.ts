import { type ClientEventName, clientEvents } from '@autocrm/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentSocket, connected, newVisitor, type TestSocket, visitorSocket } from './helpers/sockets';
import { BACKEND, startTestServer, type TestServer } from './helpers/test-server';

/**
 * The shared event map is what the server registers from: every client event it declares is handled
 * (with the map's schema) on exactly the namespaces it names, and answered as unknown on the others.
 */
describe(`socket events declared once (${BACKEND})`, () => {
  let s: TestServer;
  let websiteToken: string;
  beforeAll(async () => {
    s = await startTestServer();
    websiteToken = (await s.req('GET', '/inboxes', { auth: s.admin })).body.data[0].websiteToken;
  });
  afterAll(async () => {
    await s?.close();
  });

  it('handles each declared event on its namespaces only, validating with the declared schema', async () => {
    const v = await newVisitor(s.url, websiteToken);
    const names = Object.keys(clientEvents) as ClientEventName[];
    for (const ns of ['agent', 'widget'] as const) {
      // A fresh socket every few frames: each refused frame counts toward the garbage limit.
      let socket: TestSocket | undefined;
      for (const [i, event] of names.entries()) {
        if (i % 5 === 0) {
          socket?.disconnect();
          socket = ns === 'agent' ? agentSocket(s.url, s.admin) : visitorSocket(s.url, websiteToken, v.visitorToken);
          await connected(socket);
        }
        // An unknown key: every declared schema is strict, so a handler refuses it as invalid.
        const ack = await (socket!.timeout(10_000) as any).emitWithAck(event, { notAField: 1 });
        expect(ack, `${event} on ${ns}`).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
        const declared = (clientEvents[event].namespaces as readonly string[]).includes(ns);
        expect(ack.error.message.startsWith('unknown event'), `${event} on ${ns}`).toBe(!declared);
        if (declared) expect(ack.error.message).toContain('notAField');
      }
      socket?.disconnect();
    }
  });
});
