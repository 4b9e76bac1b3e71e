import { RoomClient } from '@autocrm/shared/realtime-client';
import { describe, expect, it } from 'vitest';
import { s, track, useRoomServer, visitorWithConversation, websiteToken } from './helpers/realtime-rooms';
import { agentSocket, call, collect, connected } from './helpers/sockets';
import { BACKEND, waitFor } from './helpers/test-server';

// Live conversation rooms carrying messages: both ways in order, once per client id, replayed after a
// drop or a page refresh; read receipts, typing, viewers and presence. Who may join is in realtime-access.

describe(`live conversation rooms (${BACKEND}${process.env.REDIS_URL ? ' + redis' : ''})`, () => {
  useRoomServer();

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
});
