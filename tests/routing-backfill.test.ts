import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anySeatFree } from '../server/src/domain/routing/agents';
import type { RoutingEngine } from '../server/src/domain/routing/routing-engine';
import { agentSocket, connected, type TestSocket } from './helpers/sockets';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Backfill stops early when every seat is taken (a benchmark hot path); it must still fill a seat the
// moment one frees up, and never assign past capacity.
describe(`routing backfill with every seat taken (${BACKEND})`, () => {
  let s: TestServer;
  let routing: RoutingEngine;
  let socket: TestSocket | undefined;

  beforeAll(async () => {
    s = await startTestServer();
    routing = s.deps.routing as RoutingEngine;
  }, 60_000);
  afterAll(async () => {
    socket?.disconnect();
    await s?.close();
  });

  const ok = <T = any>(res: { status: number; body: T; text: string }, status = 200): T => {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
    return res.body;
  };
  const create = async () =>
    ok(
      await s.req('POST', '/conversations', {
        auth: s.admin,
        body: { inboxId: s.inboxId, contact: {}, message: { body: 'hi' } },
      }),
      201,
    );
  const assignee = async (id: string) => ok(await s.req('GET', `/conversations/${id}`, { auth: s.admin })).assigneeId;
  const seatFree = () => anySeatFree(s.deps.db, 5);

  it('knows when no seat is free, queues the rest, and backfills when one frees up', async () => {
    expect(await seatFree()).toBe(false); // nobody online

    const email = 'seat.agent@test.autocrm.dev';
    const user = ok(
      await s.req('POST', '/users', {
        auth: s.admin,
        body: { email, name: 'Seat Agent', role: 'agent', password: 'agent-password-1' },
      }),
      201,
    );
    const inbox = ok(await s.req('GET', '/inboxes', { auth: s.admin })).data.find((i: { id: string }) => i.id === s.inboxId);
    ok(await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [...inbox.members, user.id] } }));
    ok(await s.req('PATCH', `/routing/agents/${user.id}`, { auth: s.admin, body: { capacity: { max: 2 } } }));
    socket = agentSocket(s.url, await s.login(email, 'agent-password-1'));
    await connected(socket);
    await waitFor(async () => (await seatFree()) || null);

    const [a, b, c] = [await create(), await create(), await create()];
    await s.settle();
    await routing.settle();
    const assigned = [await assignee(a.id), await assignee(b.id), await assignee(c.id)];
    expect(assigned.filter((x) => x === user.id)).toHaveLength(2);
    expect(await seatFree()).toBe(false);
    const waiting = [a, b, c].find((_, i) => assigned[i] === null);
    expect(waiting).toBeDefined();

    // Still full: another round assigns nobody.
    await routing.settle();
    expect(await assignee(waiting?.id ?? '')).toBeNull();

    // A seat frees up: the waiting conversation gets it.
    const statuses = ok(await s.req('GET', '/statuses', { auth: s.admin })).data as { id: string; category: string }[];
    const resolved = statuses.find((x) => x.category === 'resolved')?.id;
    const first = [a, b, c].find((_, i) => assigned[i] === user.id);
    ok(await s.req('PATCH', `/conversations/${first?.id}`, { auth: s.admin, body: { statusId: resolved } }));
    expect(await waitFor(async () => (await assignee(waiting?.id ?? '')) ?? null)).toBe(user.id);
    expect(await seatFree()).toBe(false);
  });
});
