import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDraft, destroyDrafts } from './helpers/collab';
import { type ServerProcess, spawnPairOnFreshDatabase } from './helpers/processes';
import { agentSocket, call, collect, connected, type TestSocket } from './helpers/sockets';
import { ADMIN, type Session, waitFor } from './helpers/test-server';

// An access change made through one process reaches the socket and draft connections held by another
// (two processes behind one Postgres and one Redis, as behind a load balancer).
const enabled = !!process.env.DATABASE_URL && !!process.env.REDIS_URL;

describe.skipIf(!enabled)('access changes across two processes', () => {
  let a: ServerProcess;
  let b: ServerProcess;
  let drop: () => Promise<void>;
  let admin: Session;
  let inboxId: string;
  const sockets: TestSocket[] = [];

  const login = async (url: string, email: string, password: string): Promise<Session> => {
    const res = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (res.status !== 200) throw new Error(await res.text());
    const body = (await res.json()) as { csrfToken: string; user: { id: string } };
    return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '', csrfToken: body.csrfToken, userId: body.user.id };
  };
  const req = async (url: string, method: string, path: string, auth: Session, body?: unknown) => {
    const res = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json', cookie: auth.cookie, 'x-csrf-token': auth.csrfToken },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const open = async (url: string, session: Session) => {
    const sock = agentSocket(url, session);
    sockets.push(sock);
    await connected(sock);
    return sock;
  };

  beforeAll(async () => {
    const pair = await spawnPairOnFreshDatabase();
    ({ a, b, drop } = pair);
    admin = await login(a.url, ADMIN.email, ADMIN.password);
    inboxId = (await req(a.url, 'POST', '/inboxes', admin, { name: 'Web', channel: 'web' })).body.id;
  }, 120_000);

  afterAll(async () => {
    destroyDrafts();
    for (const so of sockets) so.close();
    await a?.kill();
    await b?.kill();
    await drop?.();
  });

  const agent = async (name: string) => {
    const email = `${name.toLowerCase()}@test.autocrm.dev`;
    const password = `pw-${name}-123456`;
    const u = await req(a.url, 'POST', '/users', admin, { email, name, role: 'agent', password });
    expect(u.status).toBe(201);
    return { id: u.body.id as string, session: await login(b.url, email, password) };
  };

  it('removal from the inbox on process A silences the socket and draft held on process B', async () => {
    const ada = await agent('Ada');
    const bob = await agent('Bob');
    expect((await req(a.url, 'PATCH', `/inboxes/${inboxId}`, admin, { members: [ada.id, bob.id] })).status).toBe(200);
    const conv = await req(a.url, 'POST', '/conversations', admin, {
      inboxId,
      subject: 'Across',
      contact: { name: 'Carla' },
      message: { body: 'Hello' },
    });
    const id = conv.body.id as string;
    const adaSock = await open(b.url, ada.session);
    const bobSock = await open(b.url, bob.session);
    expect((await call(adaSock, 'room:join', { conversationId: id })).ok).toBe(true);
    expect((await call(bobSock, 'room:join', { conversationId: id })).ok).toBe(true);
    const adaDraft = connectDraft(b.url, `draft:${id}`, ada.session.cookie);
    const bobDraft = connectDraft(a.url, `draft:${id}`, bob.session.cookie);
    await waitFor(() => adaDraft.events.synced && bobDraft.events.synced, { timeoutMs: 20_000 });
    bobDraft.text.insert(0, 'before ');
    await waitFor(() => adaDraft.text.toString() === 'before ', { timeoutMs: 20_000 });

    expect((await req(a.url, 'PATCH', `/inboxes/${inboxId}`, admin, { members: [bob.id] })).status).toBe(200);
    const adaMessages = collect(adaSock, 'message');
    const adaQueue = collect(adaSock, 'queue:conversation');
    const bobMessages = collect(bobSock, 'message');
    const sent: string[] = [];
    for (const priv of [false, true]) {
      const r = await req(a.url, 'POST', `/conversations/${id}/messages`, admin, { body: 'after', private: priv });
      expect(r.status).toBe(201);
      sent.push(r.body.id);
    }
    bobDraft.text.insert(bobDraft.text.length, 'secret after');
    const control = connectDraft(b.url, `draft:${id}`, bob.session.cookie);
    // These two by id: the room's first message may still be on its way too.
    await waitFor(
      () => sent.every((m) => bobMessages.some((e) => e.message.id === m)) && control.text.toString() === 'before secret after',
      { timeoutMs: 20_000 },
    );
    expect(adaMessages).toHaveLength(0);
    expect(adaQueue).toHaveLength(0);
    expect(adaDraft.text.toString()).toBe('before ');
    destroyDrafts();
  });

  it('logout through process A ends the socket and the draft held on process B', async () => {
    const cy = await agent('Cy');
    const conv = await req(a.url, 'POST', '/conversations', admin, {
      inboxId,
      subject: 'Logout across',
      contact: { name: 'Dora' },
      message: { body: 'Hello' },
    });
    const id = conv.body.id as string;
    expect((await req(a.url, 'PATCH', `/inboxes/${inboxId}`, admin, { members: [cy.id] })).status).toBe(200);
    const sock = await open(b.url, cy.session);
    const ended = collect(sock, 'session:ended');
    const cyDraft = connectDraft(b.url, `draft:${id}`, cy.session.cookie);
    const adminDraft = connectDraft(a.url, `draft:${id}`, admin.cookie);
    await waitFor(() => cyDraft.events.synced && adminDraft.events.synced, { timeoutMs: 20_000 });
    expect((await req(a.url, 'POST', '/auth/logout', cy.session)).status).toBe(204);
    adminDraft.text.insert(0, 'after logout');
    const control = connectDraft(b.url, `draft:${id}`, admin.cookie);
    await waitFor(() => control.text.toString() === 'after logout' && ended.length === 1, { timeoutMs: 20_000 });
    expect(cyDraft.text.toString()).toBe('');
    destroyDrafts();
  });
});
