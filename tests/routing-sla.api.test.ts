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

// SLA timers end to end against the real server on a hand-moved clock: due times in business hours,
// recounts, notifications, warnings and breaches. Assignment is in tests/routing-assignment.api.test.ts.
describe(`routing (${BACKEND})`, () => {
  useRoutingServer();

  it('starts the SLA of a conversation created assigned, and queues one unassigned by hand', async () => {
    const policy = ok(
      await s.req('POST', '/sla-policies', {
        auth: s.admin,
        body: { name: 'Urgent', priority: 'urgent', firstResponseMinutes: 15 },
      }),
      201,
    );
    const owner = await onlineAgent('Owner');
    const t = await team({ name: 'Hand work', members: [{ userId: owner.id }] });
    const c = await create({ teamId: t.id, priority: 'urgent', assigneeId: owner.id, message: { body: 'straight to you' } });
    const r = await routed(c.id);
    expect(r).toMatchObject({ state: 'assigned', sla: { policyId: policy.id, state: 'ok' } });

    ok(await s.req('PATCH', `/routing/agents/${owner.id}`, { auth: s.admin, body: { capacity: { max: 0 } } }));
    ok(await s.req('PATCH', `/conversations/${c.id}`, { auth: s.admin, body: { assigneeId: null } }));
    const queued = await waitFor(async () => ((await routingOf(c.id)).state === 'queued' ? routingOf(c.id) : null));
    expect(queued.queue.position).toBe(1);
    ok(await s.req('PATCH', `/routing/agents/${owner.id}`, { auth: s.admin, body: { capacity: { max: 5 } } }));
    expect(await assigneeOf(c.id)).toBe(owner.id);
  });

  it('computes SLA due times in business hours across a weekend', async () => {
    const hours = { start: '09:00', end: '17:00' };
    const t = await team({
      name: 'SLA Berlin',
      timeZone: 'Europe/Berlin',
      businessHours: { mon: [hours], tue: [hours], wed: [hours], thu: [hours], fri: [hours] },
    });
    const policy = ok(
      await s.req('POST', '/sla-policies', {
        auth: s.admin,
        body: { name: 'High', priority: 'high', firstResponseMinutes: 240, resolutionMinutes: 960, businessHours: true },
      }),
      201,
    );
    clock.set('2026-11-27T15:00:00Z'); // Friday 16:00 in Berlin
    const c = await create({ teamId: t.id, priority: 'high', message: { body: 'before the weekend' } });
    const r = await routed(c.id);
    expect(r.sla).toMatchObject({
      policyId: policy.id,
      state: 'ok',
      firstResponseDueAt: '2026-11-30T11:00:00.000Z', // 1 h Friday + 3 h Monday: Monday 12:00 Berlin
      resolutionDueAt: '2026-12-01T15:00:00.000Z', // 16 h: Fri 1 + Mon 8 + Tue 7 → Tuesday 16:00 Berlin
    });
  });

  it('recounts SLA due times when the priority changes, and restarts them when a conversation is reopened', async () => {
    const normal = ok(
      await s.req('POST', '/sla-policies', {
        auth: s.admin,
        body: { name: 'Normal', priority: 'normal', firstResponseMinutes: 120, resolutionMinutes: 600 },
      }),
      201,
    );
    const urgent = ok(await s.req('GET', '/sla-policies', { auth: s.admin })).data.find(
      (p: { priority: string }) => p.priority === 'urgent',
    );
    const t = await team({ name: 'Recount' });
    clock.set('2026-12-02T10:00:00Z');
    const c = await create({ teamId: t.id, priority: 'normal', message: { body: 'it is getting worse' } });
    expect((await routed(c.id)).sla).toMatchObject({ policyId: normal.id, firstResponseDueAt: '2026-12-02T12:00:00.000Z' });
    clock.advanceMinutes(5);
    ok(await s.req('PATCH', `/conversations/${c.id}`, { auth: s.admin, body: { priority: 'urgent' } }));
    // Counted from when the customer started waiting, not from the change.
    const raised = await waitFor(async () => {
      const r = await routingOf(c.id);
      return r.sla.policyId === urgent.id ? r : null;
    });
    expect(raised.sla.firstResponseDueAt).toBe('2026-12-02T10:15:00.000Z');

    ok(await s.req('PATCH', `/conversations/${c.id}`, { auth: s.admin, body: { priority: 'normal' } }));
    await resolve(c.id);
    await waitFor(async () => ((await routingOf(c.id)).state === 'done' ? true : null));
    clock.set('2026-12-03T09:00:00Z');
    const open = (await s.req('GET', '/statuses', { auth: s.admin })).body.data.find(
      (x: { category: string }) => x.category === 'open',
    );
    ok(await s.req('PATCH', `/conversations/${c.id}`, { auth: s.admin, body: { statusId: open.id } }));
    const reopened = await waitFor(async () => {
      const r = await routingOf(c.id);
      return r.state !== 'done' && r.sla.resolutionDueAt === '2026-12-03T19:00:00.000Z' ? r : null;
    });
    expect(['queued', 'assigned', 'new']).toContain(reopened.state);
  });

  it('notifies the assignee in the app when their SLA target is due soon and when it is missed', async () => {
    ok(
      await s.req('POST', '/sla-policies', {
        auth: s.admin,
        body: { name: 'VIP', priority: 'normal', tag: 'vip', firstResponseMinutes: 20, warningMinutes: 5 },
      }),
      201,
    );
    const owner = await onlineAgent('Notified');
    const seen: { kind: string; conversationId: string; title: string }[] = [];
    owner.socket.on('notification', (n) => seen.push(n));
    const t = await team({ name: 'VIP desk', members: [{ userId: owner.id }] });
    clock.set('2026-12-04T10:00:00Z');
    const c = await create({ teamId: t.id, tags: ['vip'], assigneeId: owner.id, message: { body: 'a VIP waits' } });
    await routed(c.id);
    clock.advanceMinutes(16);
    await routing.settle();
    await waitFor(() => seen.some((n) => n.kind === 'sla.warning'));
    clock.advanceMinutes(5);
    await routing.settle();
    await waitFor(() => seen.some((n) => n.kind === 'sla.breached'));
    // Other notifications (assigned, customer replied) arrive too; the SLA ones come once each, in order.
    expect(seen.filter((n) => n.kind.startsWith('sla.')).map((n) => [n.kind, n.conversationId, n.title])).toEqual([
      ['sla.warning', c.id, 'SLA due soon: first reply'],
      ['sla.breached', c.id, 'SLA missed: first reply'],
    ]);
  });

  it('warns before and reports a breach, raising the priority', async () => {
    ok(
      await s.req('POST', '/sla-policies', {
        auth: s.admin,
        body: { name: 'Low', priority: 'low', firstResponseMinutes: 30, warningMinutes: 10, breachRaisePriority: true },
      }),
      201,
    );
    const t = await team({ name: 'Nobody home' });
    clock.set('2026-12-01T10:00:00Z');
    const c = await create({ teamId: t.id, priority: 'low', message: { body: 'anyone?' } });
    expect((await routed(c.id)).sla.firstResponseDueAt).toBe('2026-12-01T10:30:00.000Z');
    clock.advanceMinutes(19);
    await routing.settle();
    expect(await events('sla.warning', c.id)).toHaveLength(0);
    clock.advanceMinutes(2);
    await routing.settle();
    expect(await events('sla.warning', c.id)).toHaveLength(1);
    expect((await routingOf(c.id)).sla.state).toBe('warning');
    clock.advanceMinutes(10);
    await routing.settle();
    await routing.settle();
    const breaches = await events('sla.breached', c.id);
    expect(breaches).toHaveLength(1);
    expect(breaches[0]?.payload).toMatchObject({ target: 'first_response', dueAt: '2026-12-01T10:30:00.000Z', teamId: t.id });
    expect((await routingOf(c.id)).sla).toMatchObject({
      state: 'breached',
      breached: ['first_response@2026-12-01T10:30:00.000Z'],
    });
    expect((await conversation(c.id)).priority).toBe('normal');
    // A webhook subscriber may ask for the new event types.
    const hook = await s.req('POST', '/webhooks', {
      auth: s.admin,
      body: { url: 'http://127.0.0.1:9/x', events: ['sla.breached', 'routing.queued'] },
    });
    expect(hook.status).toBe(201);
  });
});
