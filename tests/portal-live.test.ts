import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPortalSession } from '../server/src/domain/portal/sessions';
import { call, collect, connected, refused, type TestSocket } from './helpers/sockets';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// The portal's live updates: a portal page asks for its live token (the session token itself stays in
// the cookie), connects to the widget namespace with it, joins its own tickets' rooms (never another
// contact's), receives agents' replies and status changes live, resumes by seq after a reconnect, and
// cannot write through the socket. Signing out ends it.

describe(`portal live updates (${BACKEND})`, () => {
  let s: TestServer;
  let alice: string;
  let aliceConv: string;
  let bobConv: string;
  const sockets: TestSocket[] = [];

  const portal = (method: string, path: string, token: string) =>
    s.req(method, `/portal${path}`, { headers: { 'x-portal-session': token } });
  const liveSocket = (token: string) => {
    const socket = io(`${s.url}/widget`, {
      transports: ['websocket'],
      auth: { portalLive: token },
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket as TestSocket);
    return socket as TestSocket;
  };
  const session = async (contactId: string) =>
    (await openPortalSession(s.deps.db, { contactId, via: 'link', client: { ip: '127.0.0.1', userAgent: undefined } }))
      .sessionToken;
  const agentReply = async (conversationId: string, body: string) =>
    expect((await s.req('POST', `/conversations/${conversationId}/messages`, { auth: s.admin, body: { body } })).status).toBe(
      201,
    );

  beforeAll(async () => {
    s = await startTestServer();
    const mkContact = async (name: string, email: string) =>
      (await s.req('POST', '/contacts', { auth: s.admin, body: { name, email } })).body.id as string;
    const mk = async (contactId: string, subject: string) =>
      (
        await s.req('POST', '/conversations', {
          auth: s.admin,
          body: { inboxId: s.inboxId, contactId, subject, message: { body: `${subject}: please help`, from: 'contact' } },
        })
      ).body.id as string;
    alice = await mkContact('Alice Live', 'alice.live@example.com');
    const bob = await mkContact('Bob Live', 'bob.live@example.com');
    aliceConv = await mk(alice, 'Alice live');
    bobConv = await mk(bob, 'Bob live');
  }, 120_000);
  afterAll(async () => {
    for (const so of sockets) so.disconnect();
    await s?.close();
  });

  it('hands out a live token only to a signed-in customer, and it is not a session token', async () => {
    expect((await s.req('GET', '/portal/live-token')).status).toBe(401);
    const token = await session(alice);
    const res = await portal('GET', '/live-token', token);
    expect(res.status).toBe(200);
    expect(res.body.token).toMatch(/^pl_[0-9a-f]{64}$/);
    // The live token opens no API call.
    expect((await portal('GET', '/tickets', res.body.token)).status).toBe(401);
    // A forged or altered one opens no socket.
    const forged = `${res.body.token.slice(0, -1)}${res.body.token.endsWith('0') ? '1' : '0'}`;
    expect((await refused(liveSocket(forged))).data?.code).toBe('unauthenticated');
    expect((await refused(liveSocket('ps_not-a-live-token'))).data?.code).toBe('unauthenticated');
  });

  it("joins the customer's own rooms only, gets replies and status changes live, and cannot write", async () => {
    const token = (await portal('GET', '/live-token', await session(alice))).body.token as string;
    const socket = liveSocket(token);
    await connected(socket);
    const joined = await call(socket, 'room:join', { conversationId: aliceConv, lastSeq: 0 });
    expect(joined.ok).toBe(true);
    expect(joined.events.map((e: any) => e.message.bodyText)).toContain('Alice live: please help');
    // Another contact's ticket is as unknown as a ticket that does not exist.
    const other = await call(socket, 'room:join', { conversationId: bobConv, lastSeq: 0 });
    expect(other).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await call(socket, 'room:sync', { conversationId: bobConv, afterSeq: 0 })).toMatchObject({ ok: false });

    const messages = collect(socket, 'message');
    const updates = collect(socket, 'conversation:updated');
    await s.req('POST', `/conversations/${aliceConv}/notes`, { auth: s.admin, body: { body: 'INTERNAL note for agents' } });
    await agentReply(aliceConv, '<p>We are on it.</p>');
    await waitFor(() => messages.find((e) => e.message.bodyText === 'We are on it.'));
    expect(messages.some((e) => e.message.private)).toBe(false);
    const pending = (await s.req('GET', '/statuses', { auth: s.admin })).body.data.find((x: any) => x.category === 'pending');
    expect((await s.req('PATCH', `/conversations/${aliceConv}`, { auth: s.admin, body: { statusId: pending.id } })).status).toBe(
      200,
    );
    await waitFor(() => updates.find((e) => e.conversationId === aliceConv && e.statusCategory === 'pending'));

    // Read-only: a reply goes through the portal API, never the socket.
    const send = await call(socket, 'message:send', { conversationId: aliceConv, clientId: 'p-1', body: 'via socket' });
    expect(send).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('resumes by seq after a reconnect: what was said while away arrives from the database', async () => {
    const token = (await portal('GET', '/live-token', await session(alice))).body.token as string;
    const first = liveSocket(token);
    await connected(first);
    const joined = await call(first, 'room:join', { conversationId: aliceConv, lastSeq: 0 });
    const lastSeq = joined.lastSeq as number;
    first.disconnect();
    await agentReply(aliceConv, '<p>Said while you were away.</p>');
    await s.settle();
    const again = liveSocket(token);
    await connected(again);
    const resumed = await call(again, 'room:join', { conversationId: aliceConv, lastSeq });
    expect(resumed.events.map((e: any) => e.message.bodyText)).toEqual(['Said while you were away.']);
  });

  it('ends with the session: signing out everywhere refuses the next connection', async () => {
    const token = await session(alice);
    const live = (await portal('GET', '/live-token', token)).body.token as string;
    await connected(liveSocket(live));
    expect((await portal('POST', '/sign-out/everywhere', token)).status).toBe(200);
    expect((await refused(liveSocket(live))).data?.code).toBe('unauthenticated');
  });
});
