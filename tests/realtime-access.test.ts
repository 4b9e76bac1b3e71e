import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s, track, useRoomServer, visitorWithConversation, websiteToken } from './helpers/realtime-rooms';
import { agentSocket, call, collect, connected, refused, type TestSocket, visitorSocket } from './helpers/sockets';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Who may be in a live room and what reaches them: notes and other people's conversations kept from
// visitors, logged-out and deactivated users, API keys by scope, supervisors watching, queues by inbox;
// and the widget's visitor endpoint. How rooms carry messages is in realtime-delivery.

describe(`live conversation rooms (${BACKEND}${process.env.REDIS_URL ? ' + redis' : ''})`, () => {
  useRoomServer();

  it('keeps internal notes and other people’s conversations away from visitors', async () => {
    const v = await visitorWithConversation();
    const other = await visitorWithConversation('someone else');
    const atVisitor = collect(v.socket, 'message');
    const agent = track(agentSocket(s.url, s.admin));
    await connected(agent);
    await call(agent, 'room:join', { conversationId: v.conversationId, lastSeq: 0 });
    const note = await call(agent, 'message:send', {
      conversationId: v.conversationId,
      clientId: 'note',
      body: 'secret note',
      private: true,
    });
    expect(note.ok).toBe(true);
    await call(agent, 'message:send', { conversationId: v.conversationId, clientId: 'pub', body: 'public reply' });
    const afterFirst = () => atVisitor.filter((e) => e.eventSeq > 1).map((e) => e.message.bodyText);
    await waitFor(() => afterFirst().length >= 1);
    expect(afterFirst()).toEqual(['public reply']);
    const replay = await call(v.socket, 'room:join', { conversationId: v.conversationId, lastSeq: 0 });
    expect(replay.events.map((e: { message: { bodyText: string } }) => e.message.bodyText)).not.toContain('secret note');
    // Someone else's conversation: refused, and nothing of it arrives.
    const foreign = await call(v.socket, 'room:join', { conversationId: other.conversationId, lastSeq: 0 });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const sendForeign = await call(v.socket, 'message:send', {
      conversationId: other.conversationId,
      clientId: 'x',
      body: 'intrude',
    });
    expect(sendForeign.ok).toBe(false);
    const visitorNote = await call(v.socket, 'message:send', {
      conversationId: v.conversationId,
      clientId: 'vn',
      body: 'note?',
      private: true,
    });
    expect(visitorNote).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // A visitor token only works on the website it was issued for, and a made-up one nowhere.
    expect((await refused(track(visitorSocket(s.url, 'wt_wrong', v.visitorToken)))).data?.code).toBe('unauthenticated');
    expect((await refused(track(visitorSocket(s.url, websiteToken, 'vt_made_up')))).data?.code).toBe('unauthenticated');
  });

  it('refuses a logged-out session on reconnect and ends its live sockets', async () => {
    const session = await s.login();
    const agent = track(agentSocket(s.url, session));
    await connected(agent);
    const ended = collect(agent, 'session:ended');
    const out = await s.req('POST', '/auth/logout', { auth: session });
    expect(out.status).toBe(204);
    await waitFor(() => ended.length === 1 && !agent.connected);
    const again = track(agentSocket(s.url, session));
    expect((await refused(again)).data?.code).toBe('unauthenticated');
    // A cookie from another origin is not honored.
    const { io } = await import('socket.io-client');
    const crossSite = track(
      io(`${s.url}/agent`, {
        transports: ['websocket'],
        extraHeaders: { cookie: s.admin.cookie, origin: 'https://evil.example' },
        reconnection: false,
        forceNew: true,
      }) as TestSocket,
    );
    expect((await refused(crossSite)).data?.code).toBe('forbidden');
  });

  it('lets API keys with conversations:read in, and nobody whose user was deactivated', async () => {
    const readKey = await s.apiKey(['conversations:read']);
    const contactsKey = await s.apiKey(['contacts:read']);
    const { io } = await import('socket.io-client');
    const viaKey = track(
      io(`${s.url}/agent`, {
        transports: ['websocket'],
        auth: { apiKey: readKey },
        reconnection: false,
        forceNew: true,
      }) as TestSocket,
    );
    await connected(viaKey);
    const v = await visitorWithConversation();
    expect((await call(viaKey, 'room:join', { conversationId: v.conversationId, lastSeq: 0 })).ok).toBe(true);
    // Read-only keys can watch but not write.
    expect(await call(viaKey, 'message:send', { conversationId: v.conversationId, clientId: 'k', body: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'insufficient_scope' },
    });
    const wrongScope = track(
      io(`${s.url}/agent`, {
        transports: ['websocket'],
        auth: { apiKey: contactsKey },
        reconnection: false,
        forceNew: true,
      }) as TestSocket,
    );
    expect((await refused(wrongScope)).data?.code).toBe('forbidden');

    const user = await s.req('POST', '/users', {
      auth: s.admin,
      body: { email: `d${Date.now()}@t.dev`, name: 'Leaving', role: 'supervisor', password: 'leaving-user-pass' },
    });
    const session = await s.login(user.body.email, 'leaving-user-pass');
    const sock = track(agentSocket(s.url, session));
    await connected(sock);
    await s.req('PATCH', `/users/${user.body.id}`, { auth: s.admin, body: { active: false } });
    await waitFor(() => !sock.connected);
    expect((await refused(track(agentSocket(s.url, session)))).data?.code).toBe('unauthenticated');
  });

  it('lets supervisors watch every room on request, and nobody else', async () => {
    const sup = await s.req('POST', '/users', {
      auth: s.admin,
      body: { email: `s${Date.now()}@t.dev`, name: 'Sup', role: 'supervisor', password: 'supervisor-pass' },
    });
    const agentUser = await s.req('POST', '/users', {
      auth: s.admin,
      body: { email: `g${Date.now()}@t.dev`, name: 'Ag', role: 'agent', password: 'agent-user-pass' },
    });
    const supSock = track(agentSocket(s.url, await s.login(sup.body.email, 'supervisor-pass')));
    const agentSock = track(agentSocket(s.url, await s.login(agentUser.body.email, 'agent-user-pass')));
    // An observer in the room: once it has a message, that message's broadcast is over (with the Redis
    // adapter a broadcast is evaluated only after its stream write returns).
    const observer = track(agentSocket(s.url, s.admin));
    await Promise.all([connected(supSock), connected(agentSock), connected(observer)]);
    const watched = collect(supSock, 'message');
    const observed = collect(observer, 'message');
    const v1 = await visitorWithConversation();
    await call(observer, 'room:join', { conversationId: v1.conversationId, lastSeq: 0 });
    const send = (clientId: string, body: string) =>
      call(v1.socket, 'message:send', { conversationId: v1.conversationId, clientId, body });
    const seen = (list: typeof watched, body: string) => list.some((e) => e.message.bodyText === body);

    await send('unwatched', 'before supervising');
    await waitFor(() => seen(observed, 'before supervising'));
    expect(await call(agentSock, 'supervise', { on: true })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call(supSock, 'supervise', { on: true })).toMatchObject({ ok: true });
    await send('watched', 'while supervising');
    await waitFor(() => seen(watched, 'while supervising'));
    expect(seen(watched, 'before supervising')).toBe(false);
    await call(supSock, 'supervise', { on: false });
    await send('after', 'after supervising');
    await waitFor(() => seen(observed, 'after supervising'));
    expect(seen(watched, 'after supervising')).toBe(false);
  });

  it('updates queues live for the agents who may see the inbox', async () => {
    const agentUser = await s.req('POST', '/users', {
      auth: s.admin,
      body: { email: `q${Date.now()}@t.dev`, name: 'Queue Agent', role: 'agent', password: 'queue-agent-pass' },
    });
    const otherInbox = await s.req('POST', '/inboxes', {
      auth: s.admin,
      body: { name: 'Other', channel: 'api', members: [agentUser.body.id] },
    });
    const session = await s.login(agentUser.body.email, 'queue-agent-pass');
    const agent = track(agentSocket(s.url, session));
    const queue = collect(agent, 'queue:conversation');
    await connected(agent);
    const key = await s.apiKey(['conversations:write']);
    const mine = await s.req('POST', '/conversations', {
      auth: key,
      body: { inboxId: otherInbox.body.id, subject: 'for the queue agent' },
    });
    const notMine = await s.req('POST', '/conversations', { auth: key, body: { inboxId: s.inboxId, subject: 'not theirs' } });
    await waitFor(() => queue.some((q) => q.conversation.id === mine.body.id));
    await s.req('PATCH', `/conversations/${mine.body.id}`, { auth: key, body: { priority: 'urgent' } });
    await waitFor(() => queue.some((q) => q.conversation.id === mine.body.id && q.conversation.priority === 'urgent'));
    expect(queue.some((q) => q.conversation.id === notMine.body.id)).toBe(false);
  });
});

describe('widget visitor endpoint', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s?.close());

  it('issues visitor tokens only for real website tokens, with open CORS and no credentials', async () => {
    const post = (body: string) =>
      fetch(`${s.url}/widget-api/v1/visitors`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://shop.example' },
        body,
      });
    expect((await post('{"websiteToken":"wt_nope"}')).status).toBe(401);
    expect((await post('{not json')).status).toBe(400);
    expect((await post('{"websiteToken":5}')).status).toBe(400);
    expect((await post(JSON.stringify({ websiteToken: 'x'.repeat(20_000) }))).status).toBe(413);
    const token = (await s.req('GET', '/inboxes', { auth: s.admin })).body.data[0].websiteToken;
    const ok = await post(JSON.stringify({ websiteToken: token }));
    expect(ok.status).toBe(201);
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');
    expect(ok.headers.get('access-control-allow-credentials')).toBeNull();
    expect(((await ok.json()) as { visitorToken: string }).visitorToken).toMatch(/^vt_/);
    // The agent API never answers cross-origin requests with CORS headers.
    const api = await fetch(`${s.url}/api/v1/conversations`, { headers: { origin: 'https://shop.example' } });
    expect(api.headers.get('access-control-allow-origin')).toBeNull();
  });
});
