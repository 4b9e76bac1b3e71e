import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentSocket, call, connected, startVisitorChat, type TestSocket } from './helpers/sockets';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

/** The conversation list says what a row needs without opening the room: last message and unread count. */
describe(`conversation list previews and unread counts (${BACKEND})`, () => {
  let s: TestServer;
  let websiteToken: string;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    s = await startTestServer();
    const inboxes = await s.req('GET', '/inboxes', { auth: s.admin });
    websiteToken = inboxes.body.data.find((i: { id: string }) => i.id === s.inboxId).websiteToken;
  });
  afterAll(async () => {
    for (const so of sockets) so.disconnect();
    await s?.close();
  });

  const row = async (id: string, auth: unknown = s.admin) => {
    const res = await s.req('GET', '/conversations?limit=100', { auth: auth as typeof s.admin });
    expect(res.status).toBe(200);
    return res.body.data.find((c: { id: string }) => c.id === id);
  };

  it('returns the last public message as a preview, never an internal note, and counts what the agent has not read', async () => {
    const chat = await startVisitorChat(s.url, websiteToken, 'Hello, my   order\n\nnever arrived');
    sockets.push(chat.socket);
    const id = chat.conversationId;
    expect(await row(id)).toMatchObject({
      lastMessagePreview: 'Hello, my order never arrived',
      lastMessageAuthorKind: 'contact',
      unreadCount: 1,
    });
    expect((await row(id)).lastMessageAt).toMatch(/^\d{4}-/);

    // An internal note is neither the preview (customers never see it) nor unread for its author.
    const note = await s.req('POST', `/conversations/${id}/notes`, { auth: s.admin, body: { body: 'Secret refund note' } });
    expect(note.status).toBeLessThan(300);
    expect(await row(id)).toMatchObject({ lastMessagePreview: 'Hello, my order never arrived', unreadCount: 1 });

    // A long message is cut near 140 characters at a word, with an ellipsis.
    const long = `${'word '.repeat(60)}end`;
    const sent = await call(chat.socket, 'message:send', { conversationId: id, clientId: 'long-1', body: long });
    expect(sent.ok).toBe(true);
    const r = await waitFor(async () => {
      const x = await row(id);
      return x.unreadCount === 2 ? x : null;
    });
    expect(r.lastMessagePreview.length).toBeLessThanOrEqual(140);
    expect(r.lastMessagePreview.endsWith('word…')).toBe(true);

    // The agent reads up to the last message: nothing unread for them.
    const agent = agentSocket(s.url, s.admin);
    sockets.push(agent);
    await connected(agent);
    expect((await call(agent, 'room:join', { conversationId: id, lastSeq: 0 })).ok).toBe(true);
    agent.emit('read', { conversationId: id, seq: r.lastSeq });
    await waitFor(async () => (await row(id)).unreadCount === 0);

    // The agent's own reply is the preview and adds nothing unread.
    await s.req('POST', `/conversations/${id}/messages`, {
      auth: s.admin,
      body: { body: '<p>It ships today</p>', clientId: 'r1' },
    });
    expect(await row(id)).toMatchObject({ lastMessagePreview: 'It ships today', lastMessageAuthorKind: 'agent', unreadCount: 0 });
  });

  it('has no unread count for an API key (no reader), and a conversation without messages has no preview', async () => {
    const created = await s.req('POST', '/conversations', {
      auth: s.admin,
      body: { inboxId: s.inboxId, subject: 'Empty one', contact: { email: 'quiet@example.com', name: 'Quiet' } },
    });
    expect(created.status).toBe(201);
    expect(await row(created.body.id)).toMatchObject({ lastMessagePreview: null, lastMessageAuthorKind: null, unreadCount: 0 });
    const key = await s.apiKey(['conversations:read']);
    expect(await row(created.body.id, key)).toMatchObject({ lastMessagePreview: null, unreadCount: null });
  });
  it('without an LLM: no translation feature, and translating answers 503 unavailable', async () => {
    expect((await s.req('GET', '/features', { auth: s.admin })).body).toEqual({ translation: false });
    const chat = await startVisitorChat(s.url, websiteToken, 'Bonjour');
    sockets.push(chat.socket);
    const messages = (await s.req('GET', `/conversations/${chat.conversationId}/messages`, { auth: s.admin })).body.data;
    const res = await s.req('POST', `/conversations/${chat.conversationId}/messages/${messages[0].id}/translate`, {
      auth: s.admin,
      body: { target: 'en' },
    });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('unavailable');
  });
});
