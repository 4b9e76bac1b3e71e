import { afterAll, beforeAll } from 'vitest';
import { ManualClock } from '../../server/src/domain/routing/clock';
import type { RoutingEngine } from '../../server/src/domain/routing/routing-engine';
import { agentSocket, connected, type TestSocket } from './sockets';
import { type Session, startTestServer, type TestServer, waitFor } from './test-server';

// The server and helpers the routing test files share (routing-assignment, routing-sla): real agent
// sockets for presence, a hand-moved clock. `s`, `routing` and `resolvedStatusId` are live bindings:
// `useRoutingServer()` inside a describe starts the server before its tests and sets them.

export let s: TestServer;
export let routing: RoutingEngine;
export const clock = new ManualClock('2026-11-23T09:00:00Z'); // Monday 10:00 in Berlin
const sockets: TestSocket[] = [];
export let resolvedStatusId: string;
let n = 0;

export const ok = <T = any>(res: { status: number; body: T; text: string }, status = 200): T => {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
  return res.body;
};

/** A new agent in the test inbox, signed in with a live socket (so presence says online). */
export async function onlineAgent(name: string): Promise<{ id: string; session: Session; socket: TestSocket }> {
  const email = `${name.toLowerCase().replace(/\W/g, '')}.${++n}@test.autocrm.dev`;
  const user = ok(
    await s.req('POST', '/users', { auth: s.admin, body: { email, name, role: 'agent', password: 'agent-password-1' } }),
    201,
  );
  const inbox = ok(await s.req('GET', '/inboxes', { auth: s.admin })).data.find((i: { id: string }) => i.id === s.inboxId);
  ok(await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [...inbox.members, user.id] } }));
  const session = await s.login(email, 'agent-password-1');
  const socket = agentSocket(s.url, session);
  sockets.push(socket);
  await connected(socket);
  await waitFor(async () => (await s.req('GET', `/routing/agents/${user.id}`, { auth: s.admin })).body.presence === 'online');
  return { id: user.id, session, socket };
}

export const team = async (body: Record<string, unknown>) => ok(await s.req('POST', '/teams', { auth: s.admin, body }), 201);
export const create = async (body: Record<string, unknown>) =>
  ok(await s.req('POST', '/conversations', { auth: s.admin, body: { inboxId: s.inboxId, contact: {}, ...body } }), 201);
export const routingOf = async (id: string) => ok(await s.req('GET', `/conversations/${id}/routing`, { auth: s.admin }));
export const conversation = async (id: string) => ok(await s.req('GET', `/conversations/${id}`, { auth: s.admin }));
export const routed = (id: string) => waitFor(async () => ((await routingOf(id)).state !== 'new' ? routingOf(id) : null));
export const assigneeOf = (id: string) => waitFor(async () => (await conversation(id)).assigneeId as string | null);
export const resolve = async (id: string) =>
  ok(await s.req('PATCH', `/conversations/${id}`, { auth: s.admin, body: { statusId: resolvedStatusId } }));
export const events = async (type: string, conversationId: string) =>
  (await s.deps.db.selectFrom('outbox').select(['type', 'payload']).where('type', '=', type).execute()).filter(
    (e) => (e.payload as { conversationId?: string }).conversationId === conversationId,
  );

export function useRoutingServer() {
  beforeAll(async () => {
    s = await startTestServer({ clock });
    routing = s.deps.routing as RoutingEngine;
    const statuses = (await s.req('GET', '/statuses', { auth: s.admin })).body.data as { id: string; category: string }[];
    resolvedStatusId = statuses.find((x) => x.category === 'resolved')?.id ?? '';
  }, 60_000);
  afterAll(async () => {
    for (const so of sockets) so.disconnect();
    await s?.close();
  });
}
