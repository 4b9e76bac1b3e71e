import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { MAX_DEPTH, RATE_CAP_PER_HOUR } from '../server/src/domain/automation/run-automation';
import {
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
import { BACKEND } from './helpers/test-server';

// Automation rules that go wrong or go round: a failing action, loop protection, idempotency under
// redelivery, and time-based triggers on a clock the test moves by hand. Trigger families are in
// tests/automation-triggers.api.test.ts.
describe(`automation rules (${BACKEND}${process.env.REDIS_URL ? ' + redis' : ''})`, () => {
  useAutomationServer();

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
