import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND, type Session, startTestServer, type TestServer } from './helpers/test-server';

// Macros over REST API v1: CRUD, who may manage shared ones, and applying one to a conversation.
describe(`macros API (${BACKEND})`, () => {
  let s: TestServer;
  let agent: Session;
  let supervisor: Session;
  let statuses: { id: string; name: string; category: string }[];
  let n = 0;

  const ok = <T = any>(res: { status: number; body: T; text: string }, status = 200): T => {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
    return res.body;
  };

  async function user(role: 'agent' | 'supervisor'): Promise<Session> {
    const email = `${role}.${++n}.${randomUUID().slice(0, 8)}@test.autocrm.dev`;
    const u = ok(
      await s.req('POST', '/users', { auth: s.admin, body: { email, name: `${role} ${n}`, role, password: 'macro-password-1' } }),
      201,
    );
    const inbox = ok(await s.req('GET', '/inboxes', { auth: s.admin })).data.find((i: { id: string }) => i.id === s.inboxId);
    ok(await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [...inbox.members, u.id] } }));
    return s.login(email, 'macro-password-1');
  }

  const conversation = async () =>
    ok(await s.req('POST', '/conversations', { auth: s.admin, body: { inboxId: s.inboxId, contact: {} } }), 201);

  beforeAll(async () => {
    s = await startTestServer();
    agent = await user('agent');
    supervisor = await user('supervisor');
    statuses = ok(await s.req('GET', '/statuses', { auth: s.admin })).data;
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  it('lets an agent keep personal macros but not create shared ones', async () => {
    const shared = await s.req('POST', '/macros', {
      auth: agent,
      body: { name: 'Shared by agent', body: 'hi', visibility: 'shared' },
    });
    expect(shared.status).toBe(403);

    const mine = ok(
      await s.req('POST', '/macros', { auth: agent, body: { name: 'My macro', body: '<p>Hello</p>', visibility: 'personal' } }),
      201,
    );
    expect(mine).toMatchObject({ name: 'My macro', visibility: 'personal', ownerId: agent.userId, actions: [] });

    const team = ok(
      await s.req('POST', '/macros', { auth: supervisor, body: { name: 'Team macro', body: 'Hi', visibility: 'shared' } }),
      201,
    );
    expect(team.ownerId).toBeNull();

    // The agent sees shared macros and their own; the supervisor does not see the agent's personal one.
    const agentList = ok(await s.req('GET', '/macros', { auth: agent })).data.map((m: { id: string }) => m.id);
    expect(agentList).toEqual(expect.arrayContaining([mine.id, team.id]));
    const supList = ok(await s.req('GET', '/macros', { auth: supervisor })).data.map((m: { id: string }) => m.id);
    expect(supList).toContain(team.id);
    expect(supList).not.toContain(mine.id);
    expect((await s.req('GET', `/macros/${mine.id}`, { auth: supervisor })).status).toBe(404);

    // The agent cannot change or delete a shared macro, nor turn their own into a shared one.
    expect((await s.req('PUT', `/macros/${team.id}`, { auth: agent, body: { name: 'x', visibility: 'shared' } })).status).toBe(
      403,
    );
    expect((await s.req('DELETE', `/macros/${team.id}`, { auth: agent })).status).toBe(403);
    expect((await s.req('PUT', `/macros/${mine.id}`, { auth: agent, body: { name: 'x', visibility: 'shared' } })).status).toBe(
      403,
    );

    const renamed = ok(
      await s.req('PUT', `/macros/${mine.id}`, {
        auth: agent,
        body: { name: 'Renamed', body: 'Bye', actions: [{ type: 'set_priority', priority: 'low' }], visibility: 'personal' },
      }),
    );
    expect(renamed).toMatchObject({ name: 'Renamed', bodyHtml: 'Bye', actions: [{ type: 'set_priority', priority: 'low' }] });

    expect((await s.req('DELETE', `/macros/${mine.id}`, { auth: supervisor })).status).toBe(404);
    expect((await s.req('DELETE', `/macros/${mine.id}`, { auth: agent })).status).toBe(204);
    expect((await s.req('DELETE', `/macros/${team.id}`, { auth: supervisor })).status).toBe(204);
    expect((await s.req('GET', `/macros/${team.id}`, { auth: agent })).status).toBe(404);
  });

  it('sanitizes the body and validates actions when saved', async () => {
    const m = ok(
      await s.req('POST', '/macros', {
        auth: s.admin,
        body: { name: 'Sanitized', body: '<p onclick="x()">Thanks<script>alert(1)</script></p>', visibility: 'shared' },
      }),
      201,
    );
    expect(m.bodyHtml).toContain('Thanks');
    expect(m.bodyHtml).not.toMatch(/script|onclick/);

    const badType = await s.req('POST', '/macros', {
      auth: s.admin,
      body: { name: 'Bad', actions: [{ type: 'explode' }], visibility: 'shared' },
    });
    expect(badType.status).toBe(400);
    expect(badType.body.error.issues[0].path).toMatch(/^actions\.0/);

    const unknownStatus = await s.req('POST', '/macros', {
      auth: s.admin,
      body: { name: 'Bad status', actions: [{ type: 'set_status', statusId: randomUUID() }], visibility: 'shared' },
    });
    expect(unknownStatus.status).toBe(400);
    expect(unknownStatus.body.error.issues).toEqual([{ path: 'actions.0.statusId', message: 'unknown status' }]);
  });

  it('applies all the fields in one go, with status history and events', async () => {
    const resolved = statuses.find((x) => x.category === 'resolved')!;
    const team = ok(await s.req('POST', '/teams', { auth: s.admin, body: { name: `Billing ${randomUUID().slice(0, 6)}` } }), 201);
    const macro = ok(
      await s.req('POST', '/macros', {
        auth: supervisor,
        body: {
          name: 'Close and escalate',
          body: '<p>Thanks, we are on it!</p>',
          actions: [
            { type: 'set_status', statusId: resolved.id },
            { type: 'set_priority', priority: 'high' },
            { type: 'add_tags', tags: ['Solved', 'billing'] },
            { type: 'remove_tags', tags: ['billing'] },
            { type: 'set_team', teamId: team.id },
            { type: 'assign', assigneeId: 'me' },
          ],
          visibility: 'shared',
        },
      }),
      201,
    );
    const conv = await conversation();
    const applied = ok(await s.req('POST', `/conversations/${conv.id}/macros/${macro.id}/apply`, { auth: agent }));
    expect(applied.bodyHtml).toBe('<p>Thanks, we are on it!</p>');
    expect(applied.conversation).toMatchObject({
      id: conv.id,
      status: { id: resolved.id },
      priority: 'high',
      tags: ['solved'],
      teamId: team.id,
      assigneeId: agent.userId,
    });
    const after = ok(await s.req('GET', `/conversations/${conv.id}`, { auth: s.admin }));
    expect(after).toMatchObject({ priority: 'high', teamId: team.id, assigneeId: agent.userId, status: { id: resolved.id } });

    const history = await s.deps.db.selectFrom('status_history').selectAll().where('conversation_id', '=', conv.id).execute();
    expect(history.map((h) => h.to_status_id)).toContain(resolved.id);
    expect(history.find((h) => h.to_status_id === resolved.id)?.actor).toBe(`user:${agent.userId}`);

    const events = (await s.deps.db.selectFrom('outbox').select(['type', 'payload']).execute()).filter(
      (e) => (e.payload as { conversation?: { id: string } }).conversation?.id === conv.id,
    );
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'conversation.updated')).toHaveLength(1);
    expect(types).toContain('conversation.status_changed');
    expect(types).toContain('conversation.assigned');
  });

  it('fails with 400 and changes nothing when an action names an unknown status', async () => {
    const conv = await conversation();
    // A macro whose status was deleted after it was saved (written straight to the table).
    const row = await s.deps.db
      .insertInto('macros')
      .values({
        name: 'Stale macro',
        body_html: 'x',
        visibility: 'shared',
        owner_id: null,
        actions: JSON.stringify([
          { type: 'set_priority', priority: 'urgent' },
          { type: 'add_tags', tags: ['stale'] },
          { type: 'set_status', statusId: randomUUID() },
        ]),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const res = await s.req('POST', `/conversations/${conv.id}/macros/${row.id}/apply`, { auth: agent });
    expect(res.status).toBe(400);
    expect(res.body.error.issues).toEqual([{ path: 'actions.2.statusId', message: 'unknown status' }]);
    const after = ok(await s.req('GET', `/conversations/${conv.id}`, { auth: s.admin }));
    expect(after.priority).toBe(conv.priority);
    expect(after.tags).toEqual(conv.tags);
    expect(after.updatedAt).toBe(conv.updatedAt);
  });

  it("does not apply someone else's personal macro", async () => {
    const mine = ok(await s.req('POST', '/macros', { auth: supervisor, body: { name: 'Private', visibility: 'personal' } }), 201);
    const conv = await conversation();
    expect((await s.req('POST', `/conversations/${conv.id}/macros/${mine.id}/apply`, { auth: agent })).status).toBe(404);
    expect((await s.req('POST', `/conversations/${conv.id}/macros/${mine.id}/apply`, { auth: supervisor })).status).toBe(200);
  });
});
