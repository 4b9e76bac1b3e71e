import { describe, expect, it } from 'vitest';
import {
  assigneeOf,
  clock,
  conversation,
  create,
  events,
  ok,
  onlineAgent,
  resolve,
  routed,
  routing,
  routingOf,
  s,
  team,
  useRoutingServer,
} from './helpers/routing-server';
import { BACKEND, waitFor } from './helpers/test-server';

// Routing end to end against the real server: rules, skills, capacity, round-robin, business hours,
// re-routing and overflow. SLA timers are in tests/routing-sla.api.test.ts.
describe(`routing (${BACKEND})`, () => {
  useRoutingServer();

  it('rejects bad rules when saved, naming the rule and the problem', async () => {
    const t = await team({ name: 'Rules team' });
    const unknown = await s.req('POST', '/routing/rules', {
      auth: s.admin,
      body: {
        name: 'By colour',
        conditions: [{ field: 'colour', op: 'is', value: 'red' }],
        actions: [{ type: 'route_to_team', teamId: t.id }],
      },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/^rule "By colour": conditions\.0\.field: unknown field "colour"/);
    expect(unknown.body.error.issues[0].path).toBe('conditions.0.field');

    ok(await s.req('POST', '/custom-fields', { auth: s.admin, body: { key: 'seats', label: 'Seats', type: 'number' } }), 201);
    const wrongType = await s.req('POST', '/routing/rules', {
      auth: s.admin,
      body: {
        name: 'Big',
        conditions: [{ field: 'custom_field', key: 'seats', op: 'gt', value: 'lots' }],
        actions: [{ type: 'set_priority', priority: 'high' }],
      },
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.message).toContain(
      'rule "Big": conditions.0.value: custom field "seats" is number: expected a number, got string',
    );
    const badPriority = await s.req('POST', '/routing/rules', {
      auth: s.admin,
      body: { name: 'Prio', conditions: [], actions: [{ type: 'set_priority', priority: 'extreme' }] },
    });
    expect(badPriority.status).toBe(400);
    expect(badPriority.body.error.message).toMatch(/^rule "Prio": actions\.0\.priority/);

    const first = ok(
      await s.req('POST', '/routing/rules', {
        auth: s.admin,
        body: {
          name: 'Escalated is urgent',
          conditions: [{ field: 'tags', op: 'includes', value: 'escalated' }],
          actions: [{ type: 'set_priority', priority: 'urgent' }],
        },
      }),
      201,
    );
    const loop = await s.req('POST', '/routing/rules', {
      auth: s.admin,
      body: {
        name: 'Urgent is escalated',
        conditions: [{ field: 'priority', op: 'is', value: 'urgent' }],
        actions: [{ type: 'add_tags', tags: ['escalated'] }],
      },
    });
    expect(loop.status).toBe(400);
    expect(loop.body.error.message).toContain('rule "Urgent is escalated" forms a loop');
    expect(loop.body.error.message).toContain('"Escalated is urgent" → "Urgent is escalated" → "Escalated is urgent"');
    const rules = ok(await s.req('GET', '/routing/rules', { auth: s.admin })).data;
    expect(rules.map((r: { name: string }) => r.name)).toEqual(['Escalated is urgent']);
    ok(await s.req('DELETE', `/routing/rules/${first.id}`, { auth: s.admin }), 204);
  });

  it('routes by skill within capacity, queues the rest with position and ETA, and backfills when an agent frees up', async () => {
    const german = ok(await s.req('POST', '/skills', { auth: s.admin, body: { name: 'German', code: 'de' } }), 201);
    const anna = await onlineAgent('Anna');
    const bob = await onlineAgent('Bob');
    const t = await team({ name: 'Support DACH', members: [{ userId: anna.id, isLead: true }, { userId: bob.id }] });
    ok(
      await s.req('PATCH', `/routing/agents/${anna.id}`, {
        auth: s.admin,
        body: { skills: [{ skillId: german.id, level: 3 }], capacity: { max: 2 } },
      }),
    );
    ok(await s.req('PATCH', `/routing/agents/${bob.id}`, { auth: s.admin, body: { capacity: { max: 2 } } }));
    const rule = ok(
      await s.req('POST', '/routing/rules', {
        auth: s.admin,
        body: {
          name: 'German speakers',
          conditions: [{ field: 'text', op: 'contains', value: ['hallo', 'danke'] }],
          actions: [
            { type: 'require_skill', skillId: german.id, minLevel: 2 },
            { type: 'route_to_team', teamId: t.id },
          ],
        },
      }),
      201,
    );

    const c1 = await create({ message: { body: 'Hallo, mein Passwort geht nicht' } });
    expect(await assigneeOf(c1.id)).toBe(anna.id);
    const c2 = await create({ message: { body: 'Hallo nochmal' } });
    expect(await assigneeOf(c2.id)).toBe(anna.id);
    const c3 = await create({ message: { body: 'Hallo, Rechnung?' } });
    const r3 = await routed(c3.id);
    expect(r3.state).toBe('queued'); // Anna is full, Bob lacks German
    expect(r3.queue).toEqual({ position: 1, estimatedWaitMinutes: 10 });
    expect(r3.requiredSkills).toEqual([{ skillId: german.id, minLevel: 2 }]);
    expect(r3.rulesFired.map((f: { name: string }) => f.name)).toEqual(['German speakers']);
    expect((await conversation(c3.id)).teamId).toBe(t.id);
    expect(await events('routing.queued', c3.id)).toHaveLength(1);
    const queue = ok(await s.req('GET', `/routing/queue?team=${t.id}`, { auth: s.admin })).data;
    expect(queue.map((q: { conversationId: string }) => q.conversationId)).toEqual([c3.id]);

    // Bob still takes what needs no German.
    const c4 = await create({ teamId: t.id, message: { body: 'Hello, English please' } });
    expect(await assigneeOf(c4.id)).toBe(bob.id);

    await resolve(c1.id);
    expect(await assigneeOf(c3.id)).toBe(anna.id);
    expect((await routingOf(c3.id)).state).toBe('assigned');
    const agents = ok(await s.req('GET', '/routing/agents', { auth: s.admin })).data;
    expect(agents.find((a: { userId: string }) => a.userId === anna.id).load).toBe(2);
    ok(await s.req('DELETE', `/routing/rules/${rule.id}`, { auth: s.admin }), 204);
  });

  it('spreads assignments round-robin by longest idle when loads are equal', async () => {
    const people = [await onlineAgent('Rr1'), await onlineAgent('Rr2'), await onlineAgent('Rr3'), await onlineAgent('Rr4')];
    const t = await team({ name: 'Round robin', members: people.map((p) => ({ userId: p.id })) });
    const order: string[] = [];
    for (let i = 0; i < 40; i++) {
      clock.advanceMinutes(1);
      const c = await create({ teamId: t.id, message: { body: `question ${i}` } });
      const who = await assigneeOf(c.id);
      if (!who) throw new Error('not assigned');
      order.push(who);
      await resolve(c.id); // loads stay level, so idle time alone decides
    }
    const spread = Object.fromEntries(people.map((p, i) => [`Rr${i + 1}`, order.filter((x) => x === p.id).length]));
    console.log('round-robin spread over 40 assignments:', spread);
    expect(Object.values(spread)).toEqual([10, 10, 10, 10]);
    for (let i = 0; i + 4 <= order.length; i += 4) expect(new Set(order.slice(i, i + 4)).size).toBe(4);
  });

  it('routes by business hours across time zones and holidays', async () => {
    const hours = { start: '09:00', end: '17:00' };
    const week = { mon: [hours], tue: [hours], wed: [hours], thu: [hours], fri: [hours] };
    const berlin = await team({
      name: 'Berlin',
      timeZone: 'Europe/Berlin',
      businessHours: week,
      holidays: [{ date: '2026-12-25', name: 'Christmas' }],
    });
    const newYork = await team({ name: 'New York', timeZone: 'America/New_York', businessHours: week });
    const rules = [
      {
        name: 'EU in Berlin hours',
        conditions: [
          { field: 'tags', op: 'includes', value: 'eu' },
          { field: 'business_hours', teamId: berlin.id, value: 'open' },
        ],
        actions: [{ type: 'route_to_team', teamId: berlin.id }],
      },
      {
        name: 'EU after Berlin hours',
        conditions: [
          { field: 'tags', op: 'includes', value: 'eu' },
          { field: 'business_hours', teamId: berlin.id, value: 'closed' },
        ],
        actions: [{ type: 'route_to_team', teamId: newYork.id }],
      },
    ];
    const ids = [];
    for (const r of rules) ids.push(ok(await s.req('POST', '/routing/rules', { auth: s.admin, body: r }), 201).id);
    const teamAt = async (at: string) => {
      clock.set(at);
      const c = await create({ tags: ['eu'] });
      await routed(c.id);
      return (await conversation(c.id)).teamId;
    };
    expect(await teamAt('2026-11-30T09:30:00Z')).toBe(berlin.id); // Monday 10:30 Berlin
    expect(await teamAt('2026-11-30T16:30:00Z')).toBe(newYork.id); // 17:30 Berlin, 11:30 New York
    expect(await teamAt('2026-12-25T10:00:00Z')).toBe(newYork.id); // a Friday, but Christmas in Berlin
    expect(await teamAt('2026-12-24T10:00:00Z')).toBe(berlin.id);
    for (const id of ids) ok(await s.req('DELETE', `/routing/rules/${id}`, { auth: s.admin }), 204);
  });

  it('re-routes the conversations of an agent offline longer than the setting', async () => {
    ok(
      await s.req('PUT', '/routing/settings', {
        auth: s.admin,
        body: { rerouteOfflineAfterMinutes: 5, defaultCapacity: 5, defaultHandleMinutes: 10 },
      }),
    );
    const first = await onlineAgent('Leaver');
    const t = await team({ name: 'Reroute', members: [{ userId: first.id }] });
    const c = await create({ teamId: t.id, message: { body: 'help' } });
    expect(await assigneeOf(c.id)).toBe(first.id);
    const second = await onlineAgent('Stayer');
    ok(
      await s.req('PATCH', `/teams/${t.id}`, { auth: s.admin, body: { members: [{ userId: first.id }, { userId: second.id }] } }),
    );

    first.socket.disconnect();
    await waitFor(async () => (await s.req('GET', `/routing/agents/${first.id}`, { auth: s.admin })).body.presence === 'offline');
    clock.advanceMinutes(4);
    await routing.settle();
    expect((await conversation(c.id)).assigneeId).toBe(first.id); // not yet: offline 4 of 5 minutes
    clock.advanceMinutes(2);
    await routing.settle();
    expect(await waitFor(async () => ((await conversation(c.id)).assigneeId === second.id ? second.id : null))).toBe(second.id);
    const audit = await s.deps.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', c.id)
      .where('action', '=', 'routing.rerouted')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('overflows to another team, with lower skill levels, after the set minutes', async () => {
    const french = ok(await s.req('POST', '/skills', { auth: s.admin, body: { name: 'French', code: 'fr' } }), 201);
    const helper = await onlineAgent('Helper');
    ok(
      await s.req('PATCH', `/routing/agents/${helper.id}`, {
        auth: s.admin,
        body: { skills: [{ skillId: french.id, level: 1 }] },
      }),
    );
    const day = await team({ name: 'Day shift', members: [{ userId: helper.id }] });
    const night = await team({ name: 'Night shift', overflow: { afterMinutes: 10, teamId: day.id, relaxSkills: true } });
    const c = await create({ teamId: night.id, message: { body: 'bonjour' } });
    await routed(c.id);
    ok(
      await s.req('PATCH', `/conversations/${c.id}/routing`, {
        auth: s.admin,
        body: { requiredSkills: [{ skillId: french.id, minLevel: 3 }] },
      }),
    );
    await routing.settle();
    expect((await routingOf(c.id)).state).toBe('queued');
    clock.advanceMinutes(9);
    await routing.settle();
    expect((await conversation(c.id)).assigneeId).toBeNull();
    clock.advanceMinutes(2);
    await routing.settle();
    expect(await assigneeOf(c.id)).toBe(helper.id);
    expect((await routingOf(c.id)).overflowedAt).not.toBeNull();
    expect((await events('routing.overflowed', c.id))[0]?.payload).toMatchObject({
      fromTeamId: night.id,
      toTeamId: day.id,
      relaxedSkills: true,
    });
  });
});
