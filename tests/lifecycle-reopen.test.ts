import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../server/src/domain/routing/clock';
import { agentSocket, call, collect, connected, newVisitor, type TestSocket, visitorSocket } from './helpers/sockets';
import { BACKEND, type Session, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Reopen: a customer who writes after resolution is heard (API and sockets, the real server).
describe(`reopen on a customer message (${BACKEND}${process.env.REDIS_URL ? ' + redis' : ''})`, () => {
  let s: TestServer;
  let websiteToken: string;
  let resolvedId: string;
  let closedId: string;
  const clock = new ManualClock(new Date());
  const sockets: TestSocket[] = [];
  let n = 0;

  beforeAll(async () => {
    s = await startTestServer({ clock });
    const inboxes = await s.req('GET', '/inboxes', { auth: s.admin });
    websiteToken = inboxes.body.data.find((i: { id: string }) => i.id === s.inboxId).websiteToken;
    const statuses = (await s.req('GET', '/statuses', { auth: s.admin })).body.data as { id: string; category: string }[];
    resolvedId = statuses.find((x) => x.category === 'resolved')!.id;
    closedId = statuses.find((x) => x.category === 'closed')!.id;
  }, 180_000);
  afterAll(async () => {
    for (const so of sockets) so.disconnect();
    await s?.close();
  });

  const ok = <T = any>(res: { status: number; body: T; text: string }, status = 200): T => {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
    return res.body;
  };
  const track = (so: TestSocket) => {
    sockets.push(so);
    return so;
  };
  const conversation = async (id: string) => ok(await s.req('GET', `/conversations/${id}`, { auth: s.admin }));

  async function agent(name: string): Promise<{ id: string; session: Session; socket: TestSocket }> {
    const email = `reopen.${++n}@test.autocrm.dev`;
    const user = ok(
      await s.req('POST', '/users', { auth: s.admin, body: { email, name, role: 'agent', password: 'agent-password-1' } }),
      201,
    );
    const inbox = ok(await s.req('GET', '/inboxes', { auth: s.admin })).data.find((i: { id: string }) => i.id === s.inboxId);
    ok(await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [...inbox.members, user.id] } }));
    const session = await s.login(email, 'agent-password-1');
    const socket = track(agentSocket(s.url, session));
    await connected(socket);
    return { id: user.id, session, socket };
  }

  async function visitorConversation() {
    const v = await newVisitor(s.url, websiteToken);
    const socket = track(visitorSocket(s.url, websiteToken, v.visitorToken));
    await connected(socket);
    const started = await call(socket, 'conversation:start', { clientId: crypto.randomUUID(), body: 'My order is late' });
    expect(started.ok).toBe(true);
    const conversationId = started.conversationId as string;
    expect((await call(socket, 'room:join', { conversationId, lastSeq: 0 })).ok).toBe(true);
    return { ...v, socket, conversationId };
  }

  it('reopens a resolved conversation: open again, rating archived, SLA clock restarted, assignee notified, room and widget told', async () => {
    const a = await agent('Reopen Agent');
    const v = await visitorConversation();
    ok(await s.req('PATCH', `/conversations/${v.conversationId}`, { auth: s.admin, body: { assigneeId: a.id } }));
    ok(await s.req('PATCH', `/conversations/${v.conversationId}`, { auth: s.admin, body: { statusId: resolvedId } }));
    await s.settle();
    const rated = await fetch(`${s.url}/widget-api/v1/csat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ websiteToken, visitorToken: v.visitorToken, conversationId: v.conversationId, rating: 4 }),
    });
    expect(rated.status).toBe(200);
    expect((await conversation(v.conversationId)).csat?.rating).toBe(4);

    const joined = await call(a.socket, 'room:join', { conversationId: v.conversationId, lastSeq: 0 });
    expect(joined.ok).toBe(true);
    const notifications = collect(a.socket, 'notification');
    const agentMessages = collect(a.socket, 'message');
    const widgetUpdates = collect(v.socket, 'conversation:updated');
    const widgetMessages = collect(v.socket, 'message');
    clock.advanceMinutes(90);
    const sent = await call(v.socket, 'message:send', {
      conversationId: v.conversationId,
      clientId: 'again-1',
      body: 'Still not here',
    });
    expect(sent.ok).toBe(true);

    const after = await waitFor(async () => {
      const c = await conversation(v.conversationId);
      return c.status.category === 'open' ? c : null;
    });
    expect(after.assigneeId).toBe(a.id);
    expect(after.resolvedAt).toBeNull();
    expect(after.csat).toBeNull();
    await waitFor(() => notifications.some((x) => x.kind === 'reopened' && x.conversationId === v.conversationId));
    await waitFor(() => widgetUpdates.some((x) => x.conversationId === v.conversationId && x.statusCategory === 'open'));
    // Agents see why it is open again; the customer does not see the internal line.
    await waitFor(() => agentMessages.some((m) => m.message.authorKind === 'system' && m.message.private));
    await waitFor(() => widgetMessages.some((m) => m.message.bodyText === 'Still not here'));
    expect(widgetMessages.some((m) => m.message.private)).toBe(false);

    // Routing counts the SLA from the reopening, not from the first round.
    await waitFor(async () => {
      const r = await s.deps.db
        .selectFrom('conversation_routing')
        .select(['sla_started_at', 'state'])
        .where('conversation_id', '=', v.conversationId)
        .executeTakeFirst();
      return r?.state === 'assigned' && r.sla_started_at?.getTime() === clock.now().getTime();
    });
    // The old round's rating is kept in the audit log.
    const archived = await s.deps.db
      .selectFrom('audit_log')
      .select('before')
      .where('action', '=', 'conversation.csat_archived')
      .where('entity_id', '=', v.conversationId)
      .executeTakeFirst();
    expect(archived?.before).toMatchObject({ rating: 4 });
    const reopened = await s.deps.db.selectFrom('outbox').select('payload').where('type', '=', 'conversation.reopened').execute();
    expect(reopened.some((e) => (e.payload as any).conversation.id === v.conversationId)).toBe(true);

    // A second message in the now open conversation changes nothing more.
    ok(
      await s.req('POST', `/conversations/${v.conversationId}/messages`, {
        auth: s.admin,
        body: { body: 'one more', from: 'contact' },
      }),
      201,
    );
    await s.settle();
    const count = (
      await s.deps.db.selectFrom('outbox').select('payload').where('type', '=', 'conversation.reopened').execute()
    ).filter((e) => (e.payload as any).conversation.id === v.conversationId).length;
    expect(count).toBe(1);
  });

  it('reopens a closed conversation written to through the API (any channel), and an unassigned one goes back through routing', async () => {
    const created = ok(
      await s.req('POST', '/conversations', {
        auth: s.admin,
        body: { inboxId: s.inboxId, contact: { email: 'closed@example.com' }, message: { body: 'first', from: 'contact' } },
      }),
      201,
    );
    const routingState = async () =>
      (
        await s.deps.db
          .selectFrom('conversation_routing')
          .select('state')
          .where('conversation_id', '=', created.id)
          .executeTakeFirst()
      )?.state;
    // Routed first (closing while routing classifies it would race routing, not what this test is about).
    await waitFor(
      async () => {
        const state = await routingState();
        return state === 'queued' || state === 'assigned';
      },
      { timeoutMs: 30_000 },
    );
    ok(await s.req('PATCH', `/conversations/${created.id}`, { auth: s.admin, body: { statusId: closedId } }));
    await s.settle();
    await waitFor(async () => {
      const r = await s.deps.db
        .selectFrom('conversation_routing')
        .select('state')
        .where('conversation_id', '=', created.id)
        .executeTakeFirst();
      return r?.state === 'done';
    });
    ok(
      await s.req('POST', `/conversations/${created.id}/messages`, {
        auth: s.admin,
        body: { body: 'hello again', from: 'contact' },
      }),
      201,
    );
    await waitFor(async () => (await conversation(created.id)).status.category === 'open');
    await waitFor(async () => {
      const r = await s.deps.db
        .selectFrom('conversation_routing')
        .select('state')
        .where('conversation_id', '=', created.id)
        .executeTakeFirst();
      return r && r.state !== 'done';
    });
    // An agent's reply or note does not reopen anything.
    ok(await s.req('PATCH', `/conversations/${created.id}`, { auth: s.admin, body: { statusId: resolvedId } }));
    ok(
      await s.req('POST', `/conversations/${created.id}/messages`, { auth: s.admin, body: { body: 'note', private: true } }),
      201,
    );
    ok(await s.req('POST', `/conversations/${created.id}/messages`, { auth: s.admin, body: { body: 'bye' } }), 201);
    await s.settle();
    await s.settle();
    expect((await conversation(created.id)).status.category).toBe('resolved');
  });

  it('past the inbox reopen window starts a new conversation linked to the old one, and the widget is told to move', async () => {
    expect(
      (await s.req('PATCH', `/inboxes/${s.inboxId}/lifecycle`, { auth: s.admin, body: { reopenWindowDays: 0 } })).status,
    ).toBe(400);
    ok(await s.req('PATCH', `/inboxes/${s.inboxId}/lifecycle`, { auth: s.admin, body: { reopenWindowDays: 3 } }));
    expect(ok(await s.req('GET', `/inboxes/${s.inboxId}/lifecycle`, { auth: s.admin }))).toMatchObject({ reopenWindowDays: 3 });
    try {
      const v = await visitorConversation();
      ok(await s.req('PATCH', `/conversations/${v.conversationId}`, { auth: s.admin, body: { statusId: resolvedId } }));
      await s.settle();
      const updates = collect(v.socket, 'conversation:updated');
      clock.advanceMinutes(4 * 24 * 60);
      const sent = await call(v.socket, 'message:send', {
        conversationId: v.conversationId,
        clientId: 'late-1',
        body: 'Back again',
      });
      expect(sent.ok).toBe(true);
      const moved = await waitFor(() => updates.find((u) => u.continuedIn));
      const followUpId = moved!.continuedIn!;
      expect((await conversation(v.conversationId)).status.category).toBe('resolved');
      const follow = await conversation(followUpId);
      expect(follow.status.category).toBe('open');
      expect(follow.contactId).toBe((await conversation(v.conversationId)).contactId);
      const msgs = ok(await s.req('GET', `/conversations/${followUpId}/messages`, { auth: s.admin })).data;
      expect(msgs.map((m: { bodyText: string }) => m.bodyText)).toContain('Back again');
      const links = ok(await s.req('GET', `/conversations/${followUpId}/links`, { auth: s.admin })).data;
      expect(links).toEqual([expect.objectContaining({ conversationId: v.conversationId, kind: 'follow_up_of' })]);
      const back = ok(await s.req('GET', `/conversations/${v.conversationId}/links`, { auth: s.admin })).data;
      expect(back).toEqual([expect.objectContaining({ conversationId: followUpId, kind: 'followed_up_by' })]);
      // The visitor may open the new conversation (it is theirs).
      expect((await call(v.socket, 'room:join', { conversationId: followUpId, lastSeq: 0 })).ok).toBe(true);
    } finally {
      ok(await s.req('PATCH', `/inboxes/${s.inboxId}/lifecycle`, { auth: s.admin, body: { reopenWindowDays: null } }));
    }
  });
});
