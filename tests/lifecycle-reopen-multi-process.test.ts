import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, spawnPairOnFreshDatabase } from './helpers/processes';
import { agentSocket, call, collect, connected, newVisitor, type TestSocket, visitorSocket } from './helpers/sockets';
import { ADMIN, type Session, waitFor } from './helpers/test-server';

// Reopen across two server processes sharing Postgres and Redis: the visitor writes on one, the
// assigned agent listens on the other.
const enabled = !!process.env.DATABASE_URL && !!process.env.REDIS_URL;

describe.skipIf(!enabled)('reopen across two processes', () => {
  let a: ServerProcess;
  let b: ServerProcess;
  let drop: () => Promise<void>;
  const sockets: TestSocket[] = [];
  let admin: Session;

  const login = async (server: ServerProcess, email: string, password: string): Promise<Session> => {
    const res = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    const body = (await res.json()) as { csrfToken: string; user: { id: string } };
    return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '', csrfToken: body.csrfToken, userId: body.user.id };
  };
  const api = async (server: ServerProcess, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json', cookie: admin.cookie, 'x-csrf-token': admin.csrfToken },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };

  beforeAll(async () => {
    const pair = await spawnPairOnFreshDatabase();
    ({ a, b, drop } = pair);
    admin = await login(a, ADMIN.email, ADMIN.password);
  }, 120_000);
  afterAll(async () => {
    for (const so of sockets) so.disconnect();
    await a?.kill();
    await b?.kill();
    await drop?.();
  });

  it('a visitor on process B writes after resolve; the assignee on process A is notified and sees it open', async () => {
    const user = await api(a, 'POST', '/users', {
      email: 'mp.agent@test.autocrm.dev',
      name: 'MP Agent',
      role: 'agent',
      password: 'agent-password-1',
    });
    const inbox = await api(a, 'POST', '/inboxes', { name: 'Web', channel: 'web', members: [user.id] });
    await api(a, 'PATCH', `/inboxes/${inbox.id}/widget`, { bot: { enabled: false } });
    const statuses = (await api(a, 'GET', '/statuses')).data as { id: string; category: string }[];
    const resolvedId = statuses.find((x) => x.category === 'resolved')!.id;

    const v = await newVisitor(b.url, inbox.websiteToken);
    const vs = visitorSocket(b.url, inbox.websiteToken, v.visitorToken);
    sockets.push(vs);
    await connected(vs);
    const started = await call(vs, 'conversation:start', { clientId: 'mp-1', body: 'Hello from B' });
    const id = started.conversationId as string;
    await call(vs, 'room:join', { conversationId: id, lastSeq: 0 });
    await api(a, 'PATCH', `/conversations/${id}`, { assigneeId: user.id });
    await api(a, 'PATCH', `/conversations/${id}`, { statusId: resolvedId });

    const session = await login(a, 'mp.agent@test.autocrm.dev', 'agent-password-1');
    const as = agentSocket(a.url, session);
    sockets.push(as);
    await connected(as);
    const notes = collect(as, 'notification');
    const queue = collect(as, 'queue:conversation');
    const widget = collect(vs, 'conversation:updated');
    // The agent's socket has joined its queues once an acked round trip comes back (as the inbox page does).
    await waitFor(async () => (await call(as, 'presence:set', { status: 'online' })).ok, { timeoutMs: 20_000, intervalMs: 200 });

    expect((await call(vs, 'message:send', { conversationId: id, clientId: 'mp-2', body: 'It broke again' })).ok).toBe(true);
    await waitFor(() => notes.some((n) => n.kind === 'reopened' && n.conversationId === id), { timeoutMs: 20_000 });
    await waitFor(() => queue.some((q) => q.conversation.id === id && q.conversation.status.category === 'open'), {
      timeoutMs: 20_000,
    });
    await waitFor(() => widget.some((w) => w.conversationId === id && w.statusCategory === 'open'), { timeoutMs: 20_000 });
    const conv = await api(b, 'GET', `/conversations/${id}`);
    expect(conv.status.category).toBe('open');
    expect(conv.assigneeId).toBe(user.id);
  });
});
