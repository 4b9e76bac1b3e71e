import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../server/src/domain/routing/clock';
import { agentSocket, collect, connected, type TestSocket } from './helpers/sockets';
import { BACKEND, type Session, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Snooze (wake-up by time and by reply) and auto-resolve of idle pending conversations, on a clock the
// test moves by hand.
describe(`snooze and auto-resolve (${BACKEND}${process.env.REDIS_URL ? ' + redis' : ''})`, () => {
  let s: TestServer;
  const clock = new ManualClock(new Date());
  const sockets: TestSocket[] = [];
  let agent: { id: string; session: Session; socket: TestSocket };
  let pendingId: string;

  const ok = <T = any>(res: { status: number; body: T; text: string }, status = 200): T => {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
    return res.body;
  };
  const conversation = async (id: string) => ok(await s.req('GET', `/conversations/${id}`, { auth: s.admin }));
  const tick = async () => {
    await s.deps.workers!.lifecycle.runOnce();
    await s.settle();
  };
  const create = async (subject: string, assigneeId: string | null = null) =>
    ok(
      await s.req('POST', '/conversations', {
        auth: s.admin,
        body: { inboxId: s.inboxId, subject, contact: {}, assigneeId, message: { body: `about ${subject}`, from: 'contact' } },
      }),
      201,
    );
  const queueIds = async () =>
    (ok(await s.req('GET', '/conversations?snoozed=false&limit=100', { auth: agent.session })).data as { id: string }[]).map(
      (c) => c.id,
    );

  beforeAll(async () => {
    s = await startTestServer({ clock });
    // Only the test's own ticks run the timers. A message's activity time is the real time, which on
    // the moved clock lies days back: the loop's own round, run between a reply and the next move of
    // the clock, rightly saw a customer idle for two days and reminded them again, at a time that made
    // the end of the test resolve the conversation the customer had answered (CI, once).
    await s.deps.workers!.lifecycle.stop();
    const user = ok(
      await s.req('POST', '/users', {
        auth: s.admin,
        body: { email: 'snoozer@test.autocrm.dev', name: 'Sam Snoozer', role: 'agent', password: 'agent-password-1' },
      }),
      201,
    );
    ok(await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [user.id] } }));
    const session = await s.login('snoozer@test.autocrm.dev', 'agent-password-1');
    const socket = agentSocket(s.url, session);
    sockets.push(socket);
    await connected(socket);
    agent = { id: user.id, session, socket };
    pendingId = (ok(await s.req('GET', '/statuses', { auth: s.admin })).data as { id: string; category: string }[]).find(
      (x) => x.category === 'pending',
    )!.id;
  }, 180_000);
  afterAll(async () => {
    for (const so of sockets) so.disconnect();
    await s?.close();
  });

  it('snoozed until a time: leaves the queue, comes back when the time comes, the agent is notified', async () => {
    const c = await create('Call me Monday', agent.id);
    const notes = collect(agent.socket, 'notification');
    const past = await s.req('POST', `/conversations/${c.id}/snooze`, {
      auth: agent.session,
      body: { until: new Date(clock.now().getTime() - 1000).toISOString() },
    });
    expect(past.status).toBe(400);
    expect((await s.req('POST', `/conversations/${c.id}/snooze`, { auth: agent.session, body: {} })).status).toBe(400);
    const until = new Date(clock.now().getTime() + 3 * 3600_000).toISOString();
    const snoozed = ok(await s.req('POST', `/conversations/${c.id}/snooze`, { auth: agent.session, body: { until } }));
    expect(snoozed.snooze).toEqual({ until, untilReply: false });
    expect(await queueIds()).not.toContain(c.id);
    expect(
      (ok(await s.req('GET', '/conversations?snoozed=true', { auth: agent.session })).data as { id: string }[]).map((x) => x.id),
    ).toContain(c.id);

    clock.advanceMinutes(2 * 60);
    await tick();
    expect((await conversation(c.id)).snooze).not.toBeNull();
    clock.advanceMinutes(61);
    await tick();
    expect((await conversation(c.id)).snooze).toBeNull();
    expect(await queueIds()).toContain(c.id);
    await waitFor(() => notes.some((n) => n.kind === 'snooze.ended' && n.conversationId === c.id));
  });

  it('snoozed until the customer replies (or a time, whichever first): a reply wakes it at once', async () => {
    const c = await create('Waiting for logs', agent.id);
    const notes = collect(agent.socket, 'notification');
    const until = new Date(clock.now().getTime() + 48 * 3600_000).toISOString();
    ok(await s.req('POST', `/conversations/${c.id}/snooze`, { auth: agent.session, body: { until, untilReply: true } }));
    expect(await queueIds()).not.toContain(c.id);
    ok(
      await s.req('POST', `/conversations/${c.id}/messages`, {
        auth: s.admin,
        body: { body: 'here are the logs', from: 'contact' },
      }),
      201,
    );
    await waitFor(async () => (await conversation(c.id)).snooze === null);
    await waitFor(() =>
      notes.some((n) => n.kind === 'snooze.ended' && n.conversationId === c.id && /customer replied/.test(n.title)),
    );
    expect(await queueIds()).toContain(c.id);
    // An agent's own note does not wake a snooze.
    ok(await s.req('POST', `/conversations/${c.id}/snooze`, { auth: agent.session, body: { untilReply: true } }));
    ok(await s.req('POST', `/conversations/${c.id}/messages`, { auth: s.admin, body: { body: 'note', private: true } }), 201);
    await s.settle();
    expect((await conversation(c.id)).snooze).toEqual({ until: null, untilReply: true });
    // An agent wakes it by hand.
    expect(ok(await s.req('DELETE', `/conversations/${c.id}/snooze`, { auth: agent.session })).snooze).toBeNull();
  });

  it('auto-resolves pending conversations after N idle days, with a reminder first; a reply stops the countdown', async () => {
    ok(
      await s.req('PATCH', `/inboxes/${s.inboxId}/lifecycle`, {
        auth: s.admin,
        body: { autoResolveAfterDays: 3, reminderAfterDays: 2, reminderText: 'Still need help? Just reply.' },
      }),
    );
    const quiet = await create('Quiet customer', agent.id);
    const back = await create('Customer comes back', agent.id);
    const open = await create('Not pending', agent.id);
    for (const c of [quiet, back])
      ok(await s.req('PATCH', `/conversations/${c.id}`, { auth: s.admin, body: { statusId: pendingId } }));
    await s.settle();
    const publicTexts = async (id: string) =>
      (
        ok(await s.req('GET', `/conversations/${id}/messages?limit=100`, { auth: s.admin })).data as {
          private: boolean;
          bodyText: string;
        }[]
      )
        .filter((m) => !m.private)
        .map((m) => m.bodyText);

    clock.advanceMinutes(24 * 60);
    await tick();
    expect(await publicTexts(quiet.id)).not.toContain('Still need help? Just reply.');
    clock.advanceMinutes(25 * 60); // two idle days: the reminder
    await tick();
    expect(await publicTexts(quiet.id)).toContain('Still need help? Just reply.');
    expect(await publicTexts(back.id)).toContain('Still need help? Just reply.');
    expect(await publicTexts(open.id)).not.toContain('Still need help? Just reply.');
    await tick();
    expect((await publicTexts(quiet.id)).filter((t) => t === 'Still need help? Just reply.')).toHaveLength(1);

    // The customer answers one of them: no resolution for that one.
    ok(
      await s.req('POST', `/conversations/${back.id}/messages`, { auth: s.admin, body: { body: 'yes, still', from: 'contact' } }),
      201,
    );
    await s.settle();
    clock.advanceMinutes(2 * 24 * 60); // two days after the reminder: not yet three
    await tick();
    expect((await conversation(quiet.id)).status.category).toBe('pending');
    clock.advanceMinutes(24 * 60 + 5);
    await tick();
    expect((await conversation(quiet.id)).status.category).toBe('resolved');
    expect((await conversation(back.id)).status.category).toBe('pending');
    expect((await conversation(open.id)).status.category).toBe('open');
  });
});
