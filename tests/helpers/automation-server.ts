import { afterAll, afterEach, beforeAll } from 'vitest';
import { ManualClock } from '../../server/src/domain/routing/clock';
import { agentSocket, connected, type TestSocket } from './sockets';
import { type Session, startTestServer, type TestServer } from './test-server';

// The server and helpers the automation test files share (automation-triggers, automation-safety): one
// agent with a live socket, a clock the test moves by hand, and rules removed after each test. `s`,
// `agent` and `statuses` are live bindings: `useAutomationServer()` inside a describe starts the server
// before its tests and sets them.

export let s: TestServer;
export const clock = new ManualClock(new Date());
const sockets: TestSocket[] = [];
export let agent: { id: string; session: Session; socket: TestSocket };
export let statuses: { id: string; name: string; category: string }[];
const ruleIds: string[] = [];

export const ok = <T = any>(res: { status: number; body: T; text: string }, status = 200): T => {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
  return res.body;
};
export const conversation = async (id: string) => ok(await s.req('GET', `/conversations/${id}`, { auth: s.admin }));
export const messages = async (id: string) =>
  ok(await s.req('GET', `/conversations/${id}/messages?limit=100`, { auth: s.admin })).data as {
    authorKind: string;
    private: boolean;
    bodyText: string;
  }[];
export const systemLines = async (id: string) =>
  (await messages(id)).filter((m) => m.authorKind === 'system' && m.private).map((m) => m.bodyText);
export const firings = async (query: string) =>
  ok(await s.req('GET', `/automation/firings?${query}`, { auth: s.admin })).data as {
    ruleId: string;
    ruleName: string;
    conversationId: string;
    eventType: string;
    result: string;
    error: string | null;
    depth: number;
  }[];
export const create = async (subject: string, inboxId = s.inboxId) =>
  ok(
    await s.req('POST', '/conversations', {
      auth: s.admin,
      body: { inboxId, subject, contact: {}, message: { body: `about ${subject}`, from: 'contact' } },
    }),
    201,
  ) as { id: string };
export const say = async (id: string, body: string, from: 'agent' | 'contact' = 'contact', isPrivate = false) => {
  ok(
    await s.req('POST', `/conversations/${id}/messages`, {
      auth: s.admin,
      body: { body, from, ...(isPrivate ? { private: true } : {}) },
    }),
    201,
  );
  await s.settle();
};
export const patch = async (id: string, body: Record<string, unknown>) => {
  ok(await s.req('PATCH', `/conversations/${id}`, { auth: s.admin, body }));
  await s.settle();
};
export const rule = async (body: Record<string, unknown>) => {
  const r = ok(await s.req('POST', '/automation/rules', { auth: s.admin, body }), 201);
  ruleIds.push(r.id);
  return r as { id: string; name: string };
};
/** Rules from one test do not leak into the next. */
export const clearRules = async () => {
  for (const id of ruleIds.splice(0)) await s.req('DELETE', `/automation/rules/${id}`, { auth: s.admin });
};
export const status = (category: string) => statuses.find((x) => x.category === category)!.id;

export function useAutomationServer() {
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
}
