import { RoomClient } from '@autocrm/shared/realtime-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentSocket, call, collect, connected, newVisitor, refused, type TestSocket, visitorSocket } from './helpers/sockets';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

describe(`live conversation rooms (${BACKEND}${process.env.REDIS_URL ? ' + redis' : ''})`, () => {
  let s: TestServer;
  let websiteToken: string;
  const sockets: (TestSocket | RoomClient)[] = [];
  const track = <T extends TestSocket | RoomClient>(x: T) => {
    sockets.push(x);
    return x;
  };

  beforeAll(async () => {
    s = await startTestServer();
    const inboxes = await s.req('GET', '/inboxes', { auth: s.admin });
    websiteToken = inboxes.body.data.find((i: { id: string }) => i.id === s.inboxId).websiteToken;
  });
  afterAll(async () => {
    for (const x of sockets) x instanceof RoomClient ? x.close() : x.disconnect();
    await s?.close();
  });

  async function visitorWithConversation(first = 'Hello, I need help') {
    const v = await newVisitor(s.url, websiteToken);
    const socket = track(visitorSocket(s.url, websiteToken, v.visitorToken));
    await connected(socket);
    const started = await call(socket, 'conversation:start', { clientId: crypto.randomUUID(), body: first });
    expect(started.ok).toBe(true);
    return { ...v, socket, conversationId: started.conversationId as string };
  }

  it('delivers messages both ways, in order, exactly once, with seq acks', async () => {
    const v = await visitorWithConversation();
    const agent = track(agentSocket(s.url, s.admin));
    await connected(agent);
    const joined = await call(agent, 'room:join', { conversationId: v.conversationId, lastSeq: 0 });
    expect(joined.ok).toBe(true);
    expect(joined.events.map((e: { eventSeq: number }) => e.eventSeq)).toEqual([1]);
    const atAgent = collect(agent, 'message');
    const atVisitor = collect(v.socket, 'message');
    const acks = [];
    for (let i = 0; i < 5; i++)
      acks.push(
        await call(v.socket, 'message:send', { conversationId: v.conversationId, clientId: `v-${i}`, body: `visitor ${i}` }),
      );
    expect(acks.map((a) => a.seq)).toEqual([2, 3, 4, 5, 6]);
    const reply = await call(agent, 'message:send', {
      conversationId: v.conversationId,
      clientId: 'a-1',
      body: '<p>Hi, <b>agent</b> here</p>',
    });
    expect(reply).toMatchObject({ ok: true, seq: 7, clientId: 'a-1' });
    // Raw sockets may also see seq 1 live (joined before its fan-out): the overlap the client drops by seq.
    const after1 = (events: { eventSeq: number }[]) => events.map((e) => e.eventSeq).filter((n) => n > 1);
    await waitFor(() => after1(atAgent).length >= 6 && after1(atVisitor).length >= 6);
    expect(after1(atAgent)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(after1(atVisitor)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(atVisitor.at(-1)?.message).toMatchObject({ authorKind: 'agent', bodyText: 'Hi, agent here' });
  });

  it('stores a client id sent five times at once exactly once, every ack with the same seq', async () => {
    const v = await visitorWithConversation();
    const acks = await Promise.all(
      Array.from({ length: 5 }, () =>
        call(v.socket, 'message:send', { conversationId: v.conversationId, clientId: 'same-id', body: 'only once' }),
      ),
    );
    expect(new Set(acks.map((a) => a.seq)).size).toBe(1);
    expect(acks.every((a) => a.ok)).toBe(true);
    const rows = await s.deps.db
      .selectFrom('messages')
      .select('id')
      .where('conversation_id', '=', v.conversationId)
      .where('client_id', '=', 'same-id')
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('replays what a client missed while disconnected, then continues live, without duplicates', async () => {
    const v = await visitorWithConversation('before the drop');
    const agent = track(new RoomClient({ url: s.url, namespace: '/agent', auth: {}, extraHeaders: { cookie: s.admin.cookie } }));
    const seen: number[] = [];
    const bodies = new Map<number, string>();
    agent.onEvent((e) => {
      seen.push(e.eventSeq);
      bodies.set(e.eventSeq, e.message.bodyText);
    });
    await agent.join(v.conversationId);
    await waitFor(() => seen.length === 1);
    agent.socket.disconnect();
    for (let i = 0; i < 4; i++)
      await call(v.socket, 'message:send', { conversationId: v.conversationId, clientId: `m${i}`, body: `while away ${i}` });
    // An edit made while away travels the same way.
    const firstId = (
      await s.deps.db
        .selectFrom('messages')
        .select('id')
        .where('conversation_id', '=', v.conversationId)
        .where('seq', '=', 2)
        .executeTakeFirstOrThrow()
    ).id;
    const edited = await call(v.socket, 'message:edit', {
      conversationId: v.conversationId,
      messageId: firstId,
      body: 'while away 0 (edited)',
    });
    expect(edited).toMatchObject({ ok: true, seq: 6 });
    agent.socket.connect();
    // Message 2 was edited while away: it arrives once, in its edited state, at the edit's seq.
    await waitFor(() => seen.length === 5);
    expect(seen).toEqual([1, 3, 4, 5, 6]);
    expect(bodies.get(6)).toBe('while away 0 (edited)');
    await call(v.socket, 'message:send', { conversationId: v.conversationId, clientId: 'live', body: 'live again' });
    await waitFor(() => seen.length === 6);
    expect(seen).toEqual([1, 3, 4, 5, 6, 7]);
  });

  it('keeps unsent messages across a "page refresh" and delivers them once', async () => {
    const v = await visitorWithConversation();
    const storage = new Map<string, string>();
    const kv = {
      getItem: (k: string) => storage.get(k) ?? null,
      setItem: (k: string, val: string) => void storage.set(k, val),
      removeItem: (k: string) => void storage.delete(k),
    };
    const auth = { websiteToken, visitorToken: v.visitorToken };
    const offline = new RoomClient({ url: s.url, namespace: '/widget', auth, storage: kv, autoConnect: false });
    void offline.send(v.conversationId, 'typed while offline').catch(() => {});
    expect(offline.pending()).toHaveLength(1);
    offline.close(); // the page goes away before the message left
    const reloaded = track(new RoomClient({ url: s.url, namespace: '/widget', auth, storage: kv }));
    await reloaded.join(v.conversationId);
    await waitFor(async () => reloaded.pending().length === 0);
    const rows = await s.deps.db
      .selectFrom('messages')
      .select('body_text')
      .where('conversation_id', '=', v.conversationId)
      .execute();
    expect(rows.filter((r) => r.body_text === 'typed while offline')).toHaveLength(1);
  });

  it('shares read receipts, typing both ways, viewers and presence', async () => {
    const v = await visitorWithConversation();
    const agentUser = await s.req('POST', '/users', {
      auth: s.admin,
      body: { email: `a${Date.now()}@t.dev`, name: 'Second Agent', role: 'supervisor', password: 'second-agent-pass' },
    });
    const second = await s.login(agentUser.body.email, 'second-agent-pass');
    const a1 = track(agentSocket(s.url, s.admin));
    const presence = collect(a1, 'presence');
    await connected(a1);
    const a2 = track(agentSocket(s.url, second));
    await connected(a2);
    await waitFor(() => presence.some((p) => p.userId === second.userId && p.status === 'online'));
    const viewers = collect(a1, 'viewers');
    await call(a1, 'room:join', { conversationId: v.conversationId, lastSeq: 0 });
    const j2 = await call(a2, 'room:join', { conversationId: v.conversationId, lastSeq: 0 });
    expect(j2.viewers.map((x: { id: string }) => x.id).sort()).toEqual([s.admin.userId, second.userId].sort());
    await waitFor(() => viewers.some((e) => e.viewers.length === 2));

    const typingAtVisitor = collect(v.socket, 'typing');
    const typingAtA1 = collect(a1, 'typing');
    v.socket.emit('typing', { conversationId: v.conversationId, typing: true });
    a2.emit('typing', { conversationId: v.conversationId, typing: true });
    await waitFor(
      () =>
        typingAtA1.some((t) => t.participant.kind === 'contact') && typingAtA1.some((t) => t.participant.id === second.userId),
    );
    await waitFor(() => typingAtVisitor.some((t) => t.participant.id === second.userId && t.typing));

    const unreadBefore = await call(a1, 'unread:counts', { conversationIds: [v.conversationId] });
    expect(unreadBefore.counts[v.conversationId]).toBe(1);
    await call(a1, 'read', { conversationId: v.conversationId, seq: 1 });
    const unreadAfter = await call(a1, 'unread:counts', { conversationIds: [v.conversationId] });
    expect(unreadAfter.counts[v.conversationId]).toBe(0);

    const reads = collect(a1, 'read');
    await call(v.socket, 'read', { conversationId: v.conversationId, seq: 1 });
    await waitFor(() => reads.some((r) => r.participant.kind === 'contact' && r.seq === 1));
    const rejoin = await call(a1, 'room:join', { conversationId: v.conversationId, lastSeq: 1 });
    expect(rejoin.readCursors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ seq: 1, participant: expect.objectContaining({ kind: 'contact' }) }),
        expect.objectContaining({ seq: 1, participant: expect.objectContaining({ kind: 'agent', id: s.admin.userId }) }),
      ]),
    );

    // Acked means routing already has it (a conversation started right after is not assigned on the old
    // status): while routing's row is held, the ack waits; once it is free, the ack comes and it says away.
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => {
      locked = r;
    });
    const holder = s.deps.db.transaction().execute(async (trx) => {
      await trx.selectFrom('agent_routing_state').select('user_id').where('user_id', '=', second.userId).forUpdate().execute();
      locked();
      await held;
    });
    await isLocked;
    let acked = false;
    const ack = call(a2, 'presence:set', { status: 'away' }).then(() => {
      acked = true;
    });
    await new Promise((r) => setTimeout(r, 400));
    expect(acked).toBe(false);
    release();
    await holder;
    await ack;
    const stored = await s.deps.db
      .selectFrom('agent_routing_state')
      .select('presence')
      .where('user_id', '=', second.userId)
      .executeTakeFirst();
    expect(stored?.presence).toBe('away');
    await waitFor(() => presence.some((p) => p.userId === second.userId && p.status === 'away'));
    expect(await s.deps.realtime?.presence.statusOf(second.userId)).toBe('away');
    a2.disconnect();
    await waitFor(() => presence.some((p) => p.userId === second.userId && p.status === 'offline'));
    await waitFor(() => viewers.some((e) => e.viewers.length === 1));
  });

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
