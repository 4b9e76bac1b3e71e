import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../server/src/domain/routing/clock';
import type { RoutingEngine } from '../server/src/domain/routing/routing-engine';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// GET /routing/sla: SLA state of many conversations in one request, for queue lists and boards.
describe(`batch SLA state (${BACKEND})`, () => {
  let s: TestServer;
  let routing: RoutingEngine;
  const clock = new ManualClock('2026-12-01T10:00:00Z');

  beforeAll(async () => {
    s = await startTestServer({ clock });
    routing = s.deps.routing as RoutingEngine;
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  const ok = <T = any>(res: { status: number; body: T; text: string }, status = 200): T => {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
    return res.body;
  };
  const create = async (body: Record<string, unknown>) =>
    ok(await s.req('POST', '/conversations', { auth: s.admin, body: { inboxId: s.inboxId, contact: {}, ...body } }), 201);
  const sla = async (ids: string[]) => ok(await s.req('GET', `/routing/sla?ids=${ids.join(',')}`, { auth: s.admin })).data;

  it('returns state and due times for many conversations, in the order asked', async () => {
    ok(
      await s.req('POST', '/sla-policies', {
        auth: s.admin,
        body: { name: 'High', priority: 'high', firstResponseMinutes: 30, warningMinutes: 10 },
      }),
      201,
    );
    const t = ok(await s.req('POST', '/teams', { auth: s.admin, body: { name: 'Batch team' } }), 201);
    const withSla = await create({ teamId: t.id, priority: 'high', message: { body: 'help' } });
    const without = await create({ teamId: t.id, priority: 'low', message: { body: 'no rush' } });
    await waitFor(async () => ((await sla([withSla.id]))[0]?.state === 'ok' ? true : null));

    const rows = await sla([without.id, withSla.id, randomUUID()]);
    expect(rows.map((r: { conversationId: string }) => r.conversationId)).toEqual([without.id, withSla.id]);
    expect(rows[0]).toMatchObject({ state: 'none', firstResponseDueAt: null });
    expect(rows[1]).toMatchObject({ state: 'ok', firstResponseDueAt: '2026-12-01T10:30:00.000Z', breached: [] });

    // Matches the single-conversation view.
    const single = ok(await s.req('GET', `/conversations/${withSla.id}/routing`, { auth: s.admin })).sla;
    expect(rows[1]).toMatchObject({ state: single.state, firstResponseDueAt: single.firstResponseDueAt });

    clock.advanceMinutes(21);
    await routing.settle();
    expect((await sla([withSla.id]))[0].state).toBe('warning');
    clock.advanceMinutes(10);
    await routing.settle();
    await routing.settle();
    expect((await sla([withSla.id]))[0]).toMatchObject({
      state: 'breached',
      breached: ['first_response@2026-12-01T10:30:00.000Z'],
    });
  });

  it('rejects bad ids and too many, and needs conversations:read', async () => {
    const bad = await s.req('GET', '/routing/sla?ids=not-a-uuid', { auth: s.admin });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toBe('ids');
    const many = Array.from({ length: 101 }, () => randomUUID()).join(',');
    expect((await s.req('GET', `/routing/sla?ids=${many}`, { auth: s.admin })).status).toBe(400);
    expect((await s.req('GET', '/routing/sla', { auth: s.admin })).status).toBe(400);
    expect(ok(await s.req('GET', '/routing/sla?ids=', { auth: s.admin })).data).toEqual([]);

    const key = await s.apiKey(['contacts:read']);
    expect((await s.req('GET', `/routing/sla?ids=${randomUUID()}`, { auth: key })).status).toBe(403);
    const reader = await s.apiKey(['conversations:read']);
    expect((await s.req('GET', `/routing/sla?ids=${randomUUID()}`, { auth: reader })).status).toBe(200);
  });

  it('leaves out conversations an agent cannot see', async () => {
    const email = `outsider.${randomUUID().slice(0, 8)}@test.autocrm.dev`;
    ok(
      await s.req('POST', '/users', {
        auth: s.admin,
        body: { email, name: 'Outsider', role: 'agent', password: 'outsider-pass-1' },
      }),
      201,
    );
    const outsider = await s.login(email, 'outsider-pass-1');
    const c = await create({ message: { body: 'hidden' } });
    expect(ok(await s.req('GET', `/routing/sla?ids=${c.id}`, { auth: outsider })).data).toEqual([]);
    expect(ok(await s.req('GET', `/routing/sla?ids=${c.id}`, { auth: s.admin })).data).toHaveLength(1);
  });
});
