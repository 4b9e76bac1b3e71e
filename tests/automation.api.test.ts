import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DEPTH, RATE_CAP_PER_HOUR } from '../server/src/domain/automation/run-automation';
import { ManualClock } from '../server/src/domain/routing/clock';
import { agentSocket, collect, connected, type TestSocket } from './helpers/sockets';
import { BACKEND, type Session, startTestServer, type TestServer } from './helpers/test-server';

// Automation rules on every event: each trigger family, conditions, actions, the firing record and the
// room's system line, loop protection, idempotency under redelivery, and time-based triggers on a clock
// the test moves by hand.
describe(`automation rules (${BACKEND}${process.env.REDIS_URL ? ' + redis' : ''})`, () => {
  let s: TestServer;
  const clock = new ManualClock(new Date());
  const sockets: TestSocket[] = [];
  let agent: { id: string; session: Session; socket: TestSocket };
  let statuses: { id: string; name: string; category: string }[];
  const ruleIds: string[] = [];

  const ok = <T = any>(res: { status: number; body: T; text: string }, status = 200): T => {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
    return res.body;
  };
  const conversation = async (id: string) => ok(await s.req('GET', `/conversations/${id}`, { auth: s.admin }));
  const messages = async (id: string) =>
    ok(await s.req('GET', `/conversations/${id}/messages?limit=100`, { auth: s.admin })).data as {
      authorKind: string;
      private: boolean;
      bodyText: string;
    }[];
  const systemLines = async (id: string) =>
    (await messages(id)).filter((m) => m.authorKind === 'system' && m.private).map((m) => m.bodyText);
  const firings = async (query: string) =>
    ok(await s.req('GET', `/automation/firings?${query}`, { auth: s.admin })).data as {
      ruleId: string;
      ruleName: string;
      conversationId: string;
      eventType: string;
      result: string;
      error: string | null;
      depth: number;
    }[];
  const create = async (subject: string, inboxId = s.inboxId) =>
    ok(
      await s.req('POST', '/conversations', {
        auth: s.admin,
        body: { inboxId, subject, contact: {}, message: { body: `about ${subject}`, from: 'contact' } },
      }),
      201,
    ) as { id: string };
  const say = async (id: string, body: string, from: 'agent' | 'contact' = 'contact', isPrivate = false) => {
    ok(
      await s.req('POST', `/conversations/${id}/messages`, {
        auth: s.admin,
        body: { body, from, ...(isPrivate ? { private: true } : {}) },
      }),
      201,
    );
    await s.settle();
  };
  const patch = async (id: string, body: Record<string, unknown>) => {
    ok(await s.req('PATCH', `/conversations/${id}`, { auth: s.admin, body }));
    await s.settle();
  };
  const rule = async (body: Record<string, unknown>) => {
    const r = ok(await s.req('POST', '/automation/rules', { auth: s.admin, body }), 201);
    ruleIds.push(r.id);
    return r as { id: string; name: string };
  };
  /** Rules from one test do not leak into the next. */
  const clearRules = async () => {
    for (const id of ruleIds.splice(0)) await s.req('DELETE', `/automation/rules/${id}`, { auth: s.admin });
  };
  const status = (category: string) => statuses.find((x) => x.category === category)!.id;

  beforeAll(async () => {
    s = await startTestServer({ clock });
    const user = ok(
      await s.req('POST', '/users', {
        auth: s.admin,
        body: { email: 'auto@test.autocrm.dev', name: 'Ada Auto', role: 'agent', password: 'agent-password-1' },
      }),
      201,
    );
    ok(await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [user.id] } }));
    const session = await s.login('auto@test.autocrm.dev', 'agent-password-1');
    const socket = agentSocket(s.url, session);
    sockets.push(socket);
    await connected(socket);
    agent = { id: user.id, session, socket };
    statuses = ok(await s.req('GET', '/statuses', { auth: s.admin })).data;
  }, 180_000);
  afterEach(clearRules);
  afterAll(async () => {
    for (const so of sockets) so.disconnect();
    await s?.close();
  });

  it('rejects invalid rules with errors naming the place; routing rules keep their own actions', async () => {
    const bad = await s.req('POST', '/automation/rules', {
      auth: s.admin,
      body: {
        name: 'Broken',
        trigger: { type: 'customer_message' },
        conditions: [{ field: 'colour', op: 'is', value: 'red' }],
        actions: [{ type: 'assign_agent', userId: '00000000-0000-4000-8000-000000000000' }, { type: 'fly' }],
      },
    });
    expect(bad.status).toBe(400);
    const paths = (bad.body.error.issues as { path: string }[]).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['conditions.0.field', 'actions.0.userId', 'actions.1.type']));
    const badTrigger = await s.req('POST', '/automation/rules', {
      auth: s.admin,
      body: { name: 'Bad trigger', trigger: { type: 'no_reply_for' }, conditions: [], actions: [{ type: 'resolve' }] },
    });
    expect(badTrigger.status).toBe(400);
    // A reply is an automation action: routing (at intake) does not take it.
    const routing = await s.req('POST', '/routing/rules', {
      auth: s.admin,
      body: { name: 'Routing reply', conditions: [], actions: [{ type: 'send_reply', body: 'hi' }] },
    });
    expect(routing.status).toBe(400);
    expect(routing.text).toContain('actions.0.type');
  });

  it('customer message: conditions over text and status; actions change fields, the room shows a system line, the builder sees "last fired"', async () => {
    const r = await rule({
      name: 'Refunds are urgent',
      trigger: { type: 'customer_message' },
      conditions: [
        { field: 'text', op: 'contains', value: 'refund' },
        { field: 'status', op: 'is', value: ['open', 'pending'] },
      ],
      actions: [
        { type: 'set_priority', priority: 'urgent' },
        { type: 'add_tags', tags: ['refund'] },
        { type: 'add_note', body: 'Refund request from {{contact.name | fallback: "a customer"}}' },
      ],
    });
    const c = await create('Broken kettle');
    await s.settle();
    expect((await conversation(c.id)).priority).toBe('normal'); // "about Broken kettle" says no refund
    await say(c.id, 'I want a refund please');
    const after = await conversation(c.id);
    expect(after.priority).toBe('urgent');
    expect(after.tags).toContain('refund');
    const lines = await systemLines(c.id);
    expect(lines).toContain('Refund request from a customer');
    expect(
      lines.some((l) => l.includes('Automation "Refunds are urgent" (customer message)') && l.includes('priority set to urgent')),
    ).toBe(true);
    const fired = await firings(`conversationId=${c.id}`);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ ruleId: r.id, eventType: 'message.created', result: 'ok', depth: 0 });
    const listed = ok(await s.req('GET', '/automation/rules', { auth: agent.session })).data.find((x: any) => x.id === r.id);
    expect(listed.lastFiredAt).not.toBeNull();
    expect(listed.lastResult).toBe('ok');
    // An agent's message and an internal note do not start a customer-message rule.
    await say(c.id, 'refund noted', 'agent');
    await say(c.id, 'refund?', 'agent', true);
    expect(await firings(`conversationId=${c.id}`)).toHaveLength(1);
  });

  it('conversation created, per inbox; agent message; match any', async () => {
    const other = ok(await s.req('POST', '/inboxes', { auth: s.admin, body: { name: 'Other inbox', channel: 'api' } }), 201);
    await rule({
      name: 'Welcome in the test inbox',
      inboxId: s.inboxId,
      trigger: { type: 'conversation_created' },
      conditions: [],
      actions: [{ type: 'send_reply', body: 'Thanks, we got your message.' }],
    });
    await rule({
      name: 'Agent replied',
      trigger: { type: 'agent_message' },
      match: 'any',
      conditions: [
        { field: 'priority', op: 'is', value: 'urgent' },
        { field: 'channel', op: 'is', value: 'web' },
      ],
      actions: [{ type: 'add_tags', tags: ['answered'] }],
    });
    const here = await create('Hello here');
    const there = await create('Hello there', other.id);
    await s.settle();
    const replies = (await messages(here.id)).filter((m) => m.authorKind === 'system' && !m.private);
    expect(replies.map((m) => m.bodyText)).toEqual(['Thanks, we got your message.']);
    expect((await messages(there.id)).filter((m) => m.authorKind === 'system')).toEqual([]);
    await say(here.id, 'On it', 'agent');
    expect((await conversation(here.id)).tags).toContain('answered');
    // Neither condition holds: an api conversation of normal priority.
    await say(there.id, 'On it', 'agent');
    expect((await conversation(there.id)).tags).not.toContain('answered');
  });

  it('status changed, assigned and unassigned, tag added: team, assignee, status and notify actions', async () => {
    const team = ok(await s.req('POST', '/teams', { auth: s.admin, body: { name: 'VIP desk' } }), 201);
    await rule({
      name: 'VIP goes to the desk',
      trigger: { type: 'tag_added', tag: 'vip' },
      conditions: [],
      actions: [
        { type: 'route_to_team', teamId: team.id },
        { type: 'assign_agent', userId: agent.id },
      ],
    });
    await rule({
      name: 'Tell the assignee',
      trigger: { type: 'assigned' },
      conditions: [{ field: 'assignee', op: 'is', value: agent.id }],
      actions: [{ type: 'notify', userIds: [agent.id], message: 'A VIP is yours' }],
    });
    await rule({
      name: 'Unassigned goes back to open',
      trigger: { type: 'unassigned' },
      conditions: [],
      actions: [{ type: 'set_status', statusId: status('open') }],
    });
    await rule({
      name: 'Pending is tagged',
      trigger: { type: 'status_changed', toCategory: 'pending' },
      conditions: [],
      actions: [{ type: 'add_tags', tags: ['waiting-on-customer'] }],
    });
    // Listening from the start: routing may already give the new conversation to the agent (online, a member).
    const notes = collect(agent.socket, 'notification');
    const c = await create('Gold member');
    await s.settle();
    await patch(c.id, { addTags: ['other'] });
    expect((await conversation(c.id)).teamId).toBeNull(); // another tag: no firing
    await patch(c.id, { addTags: ['vip'] });
    let now = await conversation(c.id);
    expect(now.teamId).toBe(team.id);
    expect(now.assigneeId).toBe(agent.id);
    await expect.poll(() => notes.some((n: any) => n.kind === 'automation' && n.title.includes('A VIP is yours'))).toBe(true);
    await patch(c.id, { statusId: status('pending') });
    now = await conversation(c.id);
    expect(now.tags).toContain('waiting-on-customer');
    await patch(c.id, { assigneeId: null });
    expect((await conversation(c.id)).status.category).toBe('open');
    const names = [...new Set((await firings(`conversationId=${c.id}`)).map((f) => f.ruleName))].sort();
    expect(names).toEqual(['Pending is tagged', 'Tell the assignee', 'Unassigned goes back to open', 'VIP goes to the desk']);
  });

  it('reopened, snooze ended, SLA warning and breach; snooze, resolve, remove tags, unassign, apply macro', async () => {
    const macro = ok(
      await s.req('POST', '/macros', {
        auth: s.admin,
        body: {
          name: 'Breach apology',
          body: '<p>Sorry for the wait on #{{conversation.number}}.</p>',
          note: '<p>SLA missed</p>',
          visibility: 'shared',
          actions: [{ type: 'set_priority', priority: 'high' }],
        },
      }),
      201,
    );
    await rule({
      name: 'Reopened is urgent',
      trigger: { type: 'reopened' },
      conditions: [],
      actions: [
        { type: 'set_priority', priority: 'urgent' },
        { type: 'remove_tags', tags: ['done'] },
      ],
    });
    await rule({
      name: 'Back from snooze',
      trigger: { type: 'snooze_ended' },
      conditions: [],
      actions: [{ type: 'unassign' }],
    });
    await rule({
      name: 'Warn then snooze',
      trigger: { type: 'sla_warning' },
      conditions: [],
      actions: [{ type: 'snooze', hours: 1 }],
    });
    await rule({
      name: 'Breach apology',
      trigger: { type: 'sla_breached' },
      conditions: [],
      actions: [{ type: 'apply_macro', macroId: macro.id }],
    });
    const c = await create('Returns');
    await s.settle();
    await patch(c.id, { addTags: ['done'], statusId: status('resolved') });
    await say(c.id, 'It broke again');
    let now = await conversation(c.id);
    expect(now.status.category).toBe('open');
    expect(now.priority).toBe('urgent');
    expect(now.tags).not.toContain('done');

    // The SLA engine's events, written as it writes them (its timing has its own suite).
    const sla = (type: 'sla.warning' | 'sla.breached') =>
      s.deps.db
        .insertInto('outbox')
        .values({
          type,
          payload: JSON.stringify({
            conversationId: c.id,
            policyId: '00000000-0000-4000-8000-000000000000',
            target: 'first_response',
            dueAt: clock.now().toISOString(),
            assigneeId: null,
            teamId: null,
          }),
        })
        .execute();
    await sla('sla.warning');
    s.deps.relay.poke();
    await s.settle();
    now = await conversation(c.id);
    expect(now.snooze?.untilReply).toBe(true);
    await patch(c.id, { assigneeId: agent.id });
    await say(c.id, 'Hello?'); // wakes the snooze
    now = await conversation(c.id);
    expect(now.snooze).toBeNull();
    // Unassigned by the rule (routing may hand it to the online agent again right after).
    expect((await firings(`conversationId=${c.id}`)).find((f) => f.ruleName === 'Back from snooze')?.result).toBe('ok');
    expect((await systemLines(c.id)).some((l) => l.includes('"Back from snooze" (snooze ended): unassigned'))).toBe(true);

    await sla('sla.breached');
    s.deps.relay.poke();
    await s.settle();
    now = await conversation(c.id);
    expect(now.priority).toBe('high');
    const all = await messages(c.id);
    expect(
      all.some((m) => m.authorKind === 'system' && !m.private && m.bodyText === `Sorry for the wait on #${now.number}.`),
    ).toBe(true);
    expect(all.some((m) => m.private && m.bodyText === 'SLA missed')).toBe(true);
  });

  it('an action that fails is recorded as an error and rolled back alone; other rules still run', async () => {
    const team = ok(await s.req('POST', '/teams', { auth: s.admin, body: { name: 'Short-lived' } }), 201);
    await rule({
      name: 'To a team that goes away',
      trigger: { type: 'customer_message' },
      conditions: [],
      actions: [
        { type: 'add_tags', tags: ['half-done'] },
        { type: 'route_to_team', teamId: team.id },
      ],
    });
    await rule({
      name: 'Still runs',
      trigger: { type: 'customer_message' },
      conditions: [],
      actions: [{ type: 'set_priority', priority: 'low' }],
    });
    ok(await s.req('DELETE', `/teams/${team.id}`, { auth: s.admin }), 204);
    const c = await create('Error case');
    await say(c.id, 'hello');
    const now = await conversation(c.id);
    expect(now.tags).not.toContain('half-done');
    expect(now.priority).toBe('low');
    const fired = await firings(`conversationId=${c.id}`);
    const failed = fired.find((f) => f.ruleName === 'To a team that goes away');
    expect(failed?.result).toBe('error');
    expect(failed?.error).toBeTruthy();
    expect((await systemLines(c.id)).some((l) => l.startsWith('Automation "To a team that goes away" failed'))).toBe(true);
  });

  it('loop protection: a rule whose action re-triggers it stops at the depth limit', async () => {
    const r = await rule({
      name: 'Ping pong',
      trigger: { type: 'tag_added' },
      conditions: [],
      // Removing and adding the tag again is "a tag added" again: without a limit this never ends.
      actions: [
        { type: 'remove_tags', tags: ['ping'] },
        { type: 'add_tags', tags: ['ping'] },
      ],
    });
    const c = await create('Loop');
    await s.settle();
    await patch(c.id, { addTags: ['ping'] });
    for (let i = 0; i < MAX_DEPTH + 2; i++) await s.settle();
    const fired = (await firings(`ruleId=${r.id}&limit=200`)).filter((f) => f.ruleId === r.id);
    expect(
      fired
        .filter((f) => f.result === 'ok')
        .map((f) => f.depth)
        .sort(),
    ).toEqual([0, 1, 2].slice(0, MAX_DEPTH));
    const skipped = fired.filter((f) => f.result === 'skipped');
    expect(skipped).toHaveLength(1);
    expect(skipped[0]?.depth).toBe(MAX_DEPTH);
    expect(skipped[0]?.error).toContain('loop protection');
    expect((await systemLines(c.id)).some((l) => l.includes('did not run: loop protection'))).toBe(true);
    // Nothing more happens later.
    await s.settle();
    expect((await firings(`ruleId=${r.id}&limit=200`)).length).toBe(MAX_DEPTH + 1);
  });

  it('loop protection: one conversation takes at most the hourly cap of firings', async () => {
    const r = await rule({
      name: 'Echo',
      trigger: { type: 'customer_message' },
      conditions: [],
      actions: [{ type: 'add_note', body: 'seen' }],
    });
    const c = await create('Chatty'); // its first message is firing 1
    for (let i = 1; i <= RATE_CAP_PER_HOUR; i++) {
      ok(
        await s.req('POST', `/conversations/${c.id}/messages`, { auth: s.admin, body: { body: `msg ${i}`, from: 'contact' } }),
        201,
      );
    }
    await s.settle();
    let fired = (await firings(`ruleId=${r.id}&limit=200`)).filter((f) => f.conversationId === c.id);
    expect(fired.filter((f) => f.result === 'ok')).toHaveLength(RATE_CAP_PER_HOUR);
    const capped = fired.filter((f) => f.result === 'skipped');
    expect(capped).toHaveLength(1);
    expect(capped[0]?.error).toContain(`more than ${RATE_CAP_PER_HOUR} firings`);
    // An hour later the conversation takes firings again.
    clock.advanceMinutes(61);
    await say(c.id, 'an hour later');
    fired = (await firings(`ruleId=${r.id}&limit=200`)).filter((f) => f.conversationId === c.id);
    expect(fired.filter((f) => f.result === 'ok')).toHaveLength(RATE_CAP_PER_HOUR + 1);
  });

  it('idempotent: an event delivered again fires each rule once', async () => {
    const r = await rule({
      name: 'Count me once',
      trigger: { type: 'customer_message' },
      conditions: [],
      actions: [{ type: 'add_note', body: 'counted' }],
    });
    const c = await create('Redelivery');
    await say(c.id, 'once');
    const before = await firings(`ruleId=${r.id}`);
    expect(before).toHaveLength(2); // the first message and this one
    const notes = (await systemLines(c.id)).filter((l) => l === 'counted').length;
    expect(notes).toBe(2);
    const eventId = Number(
      (
        await s.deps.db
          .selectFrom('automation_firings')
          .select('event_key')
          .where('rule_id', '=', r.id)
          .orderBy('id', 'desc')
          .executeTakeFirstOrThrow()
      ).event_key.replace('event:', ''),
    );
    // As if the process died after the listeners ran but the relay's mark was lost: the event comes again.
    await sql`UPDATE outbox SET dispatched_at = NULL WHERE id = ${eventId}`.execute(s.deps.db);
    s.deps.relay.poke();
    await s.settle();
    expect(
      (await s.deps.db.selectFrom('outbox').select('dispatched_at').where('id', '=', eventId).executeTakeFirstOrThrow())
        .dispatched_at,
    ).not.toBeNull();
    expect(await firings(`ruleId=${r.id}`)).toHaveLength(2);
    expect((await systemLines(c.id)).filter((l) => l === 'counted')).toHaveLength(2);
  });

  it('time-based: "no reply for N hours" and "pending for N hours" fire once per wait, on a controlled clock', async () => {
    const tick = async () => {
      await s.deps.workers!.automation.runOnce();
      await s.settle();
    };
    const nudge = await rule({
      name: 'Nudge after 4 hours',
      trigger: { type: 'no_reply_for', hours: 4 },
      conditions: [],
      actions: [
        { type: 'set_priority', priority: 'high' },
        { type: 'add_note', body: 'Waiting 4 hours' },
      ],
    });
    const close = await rule({
      name: 'Resolve pending after 3 days',
      trigger: { type: 'in_status_for', category: 'pending', hours: 72 },
      conditions: [],
      actions: [{ type: 'send_reply', body: 'Closing this for now, write any time.' }, { type: 'resolve' }],
    });
    const waiting = await create('Where is my order');
    const pending = await create('Sent the label');
    await s.settle();
    await say(pending.id, 'Here is your label', 'agent');
    await patch(pending.id, { statusId: status('pending') });

    // Waits start at the real time of the messages: the clock is set from there (other tests moved it).
    const HOUR = 3_600_000;
    const base = Date.now();
    clock.set(new Date(base + 3 * HOUR));
    await tick();
    expect((await conversation(waiting.id)).priority).toBe('normal');
    clock.set(new Date(base + 4 * HOUR + 60_000));
    await tick();
    await tick();
    expect((await conversation(waiting.id)).priority).toBe('high');
    expect((await firings(`ruleId=${nudge.id}`)).filter((f) => f.conversationId === waiting.id)).toHaveLength(1);
    expect((await firings(`conversationId=${pending.id}`)).length).toBe(0); // the agent answered it

    // Answered, then the customer writes again: a new wait, so the rule may fire again after 4 hours.
    await patch(waiting.id, { priority: 'normal' });
    await say(waiting.id, 'Checking', 'agent');
    await say(waiting.id, 'Any news?');
    const again = Date.now();
    clock.set(new Date(again + 5 * HOUR));
    await tick();
    expect((await conversation(waiting.id)).priority).toBe('high');
    expect((await firings(`ruleId=${nudge.id}`)).filter((f) => f.conversationId === waiting.id)).toHaveLength(2);

    clock.set(new Date(again + 77 * HOUR));
    await tick();
    const closed = await conversation(pending.id);
    expect(closed.status.category).toBe('resolved');
    expect((await messages(pending.id)).some((m) => m.bodyText === 'Closing this for now, write any time.')).toBe(true);
    expect((await firings(`ruleId=${close.id}`)).filter((f) => f.conversationId === pending.id)).toHaveLength(1);
  });
});
