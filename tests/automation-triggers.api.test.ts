import { describe, expect, it } from 'vitest';
import {
  agent,
  clock,
  conversation,
  create,
  firings,
  messages,
  ok,
  patch,
  rule,
  s,
  say,
  status,
  systemLines,
  useAutomationServer,
} from './helpers/automation-server';
import { collect } from './helpers/sockets';
import { BACKEND } from './helpers/test-server';

// Automation rules on every event: each trigger family, conditions, actions, the firing record and the
// room's system line. Failures, loop protection, idempotency and time-based triggers are in
// tests/automation-safety.api.test.ts.
describe(`automation rules (${BACKEND}${process.env.REDIS_URL ? ' + redis' : ''})`, () => {
  useAutomationServer();

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
});
