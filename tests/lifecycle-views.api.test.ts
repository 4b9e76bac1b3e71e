import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentSocket, call, collect, connected, newVisitor, type TestSocket, visitorSocket } from './helpers/sockets';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// The landing view: what an agent must act on (mine plus unassigned conversations a person answers).
describe(`"to do" view (${BACKEND})`, () => {
  let s: TestServer;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    s = await startTestServer({ bot: true });
  }, 180_000);
  afterAll(async () => {
    for (const so of sockets) so.disconnect();
    await s?.close();
  });

  it('lists mine plus handed-off unassigned ones in my inboxes, not the bot’s or other agents’, and a hand-off arrives live', async () => {
    const mk = async (email: string) =>
      (
        await s.req('POST', '/users', {
          auth: s.admin,
          body: { email, name: email, role: 'agent', password: 'agent-password-1' },
        })
      ).body.id as string;
    const me = await mk('todo.me@test.autocrm.dev');
    const other = await mk('todo.other@test.autocrm.dev');
    expect((await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [me, other] } })).status).toBe(200);
    const hidden = await s.req('POST', '/inboxes', { auth: s.admin, body: { name: 'Not mine', channel: 'api' } });
    // Routing would assign unassigned conversations to the online agent: keep seats closed for this test.
    const routing = await s.req('GET', '/routing/settings', { auth: s.admin });
    await s.req('PUT', '/routing/settings', { auth: s.admin, body: { ...routing.body, defaultCapacity: 0 } });
    const create = async (body: Record<string, unknown>) =>
      (await s.req('POST', '/conversations', { auth: s.admin, body: { inboxId: s.inboxId, contact: {}, ...body } })).body
        .id as string;
    const mine = await create({ subject: 'mine', assigneeId: me });
    const unassigned = await create({ subject: 'nobody' });
    await create({ subject: 'theirs', assigneeId: other });
    await s.req('POST', '/conversations', {
      auth: s.admin,
      body: { inboxId: hidden.body.id, contact: {}, subject: 'elsewhere' },
    });
    await s.settle();

    const session = await s.login('todo.me@test.autocrm.dev', 'agent-password-1');
    const list = async () =>
      (
        (await s.req('GET', '/conversations?assignee=me_or_unassigned&statusCategory=open&limit=100', { auth: session })).body
          .data as {
          id: string;
        }[]
      ).map((c) => c.id);
    expect((await list()).sort()).toEqual([mine, unassigned].sort());

    // A widget conversation the bot answers is not "to do" until the bot hands it off, and then it is, live.
    const socket = agentSocket(s.url, session);
    sockets.push(socket);
    await connected(socket);
    const queue = collect(socket, 'queue:conversation');
    const websiteToken = (await s.req('GET', '/inboxes', { auth: s.admin })).body.data.find(
      (i: { id: string }) => i.id === s.inboxId,
    ).websiteToken;
    const v = await newVisitor(s.url, websiteToken);
    const vs = visitorSocket(s.url, websiteToken, v.visitorToken);
    sockets.push(vs);
    await connected(vs);
    const started = await call(vs, 'conversation:start', { clientId: 'todo-1', body: 'hello' });
    const id = started.conversationId as string;
    await waitFor(() => queue.some((e) => e.conversation.id === id));
    // The bot may hand off on its own at any moment: the list is only checked while the bot held the
    // conversation from before the list was read until after (owner goes bot -> human, never back here).
    const ownerNow = async () => (await s.req('GET', `/conversations/${id}`, { auth: s.admin })).body.owner as string;
    const botBefore = (await ownerNow()) === 'bot';
    const todo = await list();
    if (botBefore && (await ownerNow()) === 'bot') expect(todo).not.toContain(id);
    expect((await call(vs, 'bot:handoff', { conversationId: id })).ok).toBe(true);
    await waitFor(() => queue.some((e) => e.conversation.id === id && e.conversation.owner === 'human'));
    expect(await list()).toContain(id);
  });
});
