import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectDraft, destroyDrafts } from './helpers/collab';
import { agentSocket, call, collect, connected, newVisitor, visitorSocket } from './helpers/sockets';
import { startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Rate limits on anonymous and credential-checking endpoints and on socket sends, counted per client
// address behind one trusted proxy (TRUST_PROXY=1), in Redis when REDIS_URL is set.

describe('rate limits', () => {
  let s: TestServer;
  let websiteToken: string;

  beforeAll(async () => {
    s = await startTestServer({
      env: {
        TRUST_PROXY: '1',
        RATE_LIMIT_VISITORS: '5',
        RATE_LIMIT_PASSWORD_CHECKS: '3',
        RATE_LIMIT_SOCKET_SENDS: '5',
        RATE_LIMIT_ROOM_MISSES: '5',
        RATE_LIMIT_TYPING: '3',
        RATE_LIMIT_COLLAB_CONNECTIONS: '3',
        RATE_LIMIT_COLLAB_MESSAGES: '20',
        LOGIN_MAX_ATTEMPTS: '3',
      },
    });
    websiteToken = (await s.req('GET', '/inboxes', { auth: s.admin })).body.data.find(
      (i: { id: string }) => i.id === s.inboxId,
    ).websiteToken;
  });
  afterAll(async () => {
    destroyDrafts();
    await s?.close();
  });

  const visitorFrom = (address: string) =>
    fetch(`${s.url}/widget-api/v1/visitors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify({ websiteToken }),
    });
  const contactCount = async () => (await s.req('GET', '/contacts?limit=100', { auth: s.admin })).body.data.length;

  it('anonymous visitor creation: a budget per client address, nothing stored past it', async () => {
    for (let i = 0; i < 5; i++) expect((await visitorFrom('203.0.113.1')).status).toBe(201);
    const before = await contactCount();
    const refused = await visitorFrom('203.0.113.1');
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    // A client that claims another address in front of the proxy's entry is still counted as itself.
    expect((await visitorFrom('198.51.100.7, 203.0.113.1')).status).toBe(429);
    expect(await contactCount()).toBe(before);
    // Another client behind the same proxy has its own budget.
    expect((await visitorFrom('203.0.113.2')).status).toBe(201);
  });

  it('sign-in counts the client behind the proxy, not the proxy', async () => {
    const login = (email: string, password: string, address: string) =>
      fetch(`${s.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
        body: JSON.stringify({ email, password }),
      });
    for (let i = 0; i < 3; i++) expect((await login(`nobody${i}@x.example`, 'wrong-password', '203.0.113.9')).status).toBe(401);
    expect((await login('admin@test.autocrm.dev', 'test-admin-password', '203.0.113.9')).status).toBe(429);
    expect((await login('admin@test.autocrm.dev', 'test-admin-password', '203.0.113.10')).status).toBe(200);
  });

  it('POST /auth/password: wrong current passwords run out, then even the right one waits', async () => {
    const user = await s.req('POST', '/users', {
      auth: s.admin,
      body: { email: 'guess@test.autocrm.dev', name: 'Guess', role: 'agent', password: 'pw-guess-123456' },
    });
    expect(user.status).toBe(201);
    const session = await s.login('guess@test.autocrm.dev', 'pw-guess-123456');
    for (let i = 0; i < 3; i++) {
      const r = await s.req('POST', '/auth/password', {
        auth: session,
        body: { currentPassword: `wrong-${i}-xxxxxx`, newPassword: 'pw-new-1234567' },
      });
      expect(r.status).toBe(400);
    }
    const blocked = await s.req('POST', '/auth/password', {
      auth: session,
      body: { currentPassword: 'pw-guess-123456', newPassword: 'pw-new-1234567' },
    });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('rate_limited');
  });

  it('socket sends and room lookups of unknown conversations are limited per sender', async () => {
    const v = await newVisitor(s.url, websiteToken);
    const sock = visitorSocket(s.url, websiteToken, v.visitorToken);
    try {
      await connected(sock);
      const started = await call(sock, 'conversation:start', { clientId: 'c0', body: 'hello' });
      expect(started.ok).toBe(true);
      const acks = [];
      for (let i = 1; i <= 5; i++) {
        acks.push(await call(sock, 'message:send', { conversationId: started.conversationId, clientId: `c${i}`, body: `m${i}` }));
      }
      expect(acks.slice(0, 4).every((a) => a.ok)).toBe(true);
      expect(acks[4]).toMatchObject({ ok: false, error: { code: 'rate_limited' } });

      for (let i = 0; i < 5; i++) {
        expect((await call(sock, 'room:join', { conversationId: randomUUID() })).error.code).toBe('not_found');
      }
      expect((await call(sock, 'room:join', { conversationId: randomUUID() })).error.code).toBe('rate_limited');
      expect((await call(sock, 'room:join', { conversationId: started.conversationId })).error.code).toBe('rate_limited');
    } finally {
      sock.close();
    }
  });

  it('message edits and deletions spend the send budget', async () => {
    const v = await newVisitor(s.url, websiteToken);
    const sock = visitorSocket(s.url, websiteToken, v.visitorToken);
    try {
      await connected(sock);
      const started = await call(sock, 'conversation:start', { clientId: 'e0', body: 'hello' });
      const sent = await call(sock, 'message:send', { conversationId: started.conversationId, clientId: 'e1', body: 'one' });
      expect(sent.ok).toBe(true);
      const edit = (i: number) =>
        call(sock, 'message:edit', { conversationId: started.conversationId, messageId: sent.id, body: `edit ${i}` });
      // Two sends spent; three edits fit in the budget of five, the fourth does not and changes nothing.
      for (let i = 0; i < 3; i++) expect((await edit(i)).ok).toBe(true);
      expect(await edit(3)).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
      const del = await call(sock, 'message:delete', { conversationId: started.conversationId, messageId: sent.id });
      expect(del).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
      const msgs = await s.req('GET', `/conversations/${started.conversationId}/messages`, { auth: s.admin });
      const stored = msgs.body.data.find((m: { id: string }) => m.id === sent.id);
      expect(stored.bodyText).toBe('edit 2');
    } finally {
      sock.close();
    }
  });

  it('typing signals past the budget are dropped without an error; the closing "stopped" still goes through', async () => {
    const v = await newVisitor(s.url, websiteToken);
    const sock = visitorSocket(s.url, websiteToken, v.visitorToken);
    const agent = agentSocket(s.url, s.admin);
    try {
      await Promise.all([connected(sock), connected(agent)]);
      const started = await call(sock, 'conversation:start', { clientId: 't0', body: 'hello' });
      expect((await call(agent, 'room:join', { conversationId: started.conversationId, lastSeq: 0 })).ok).toBe(true);
      const seen = collect(agent, 'typing');
      for (let i = 0; i < 6; i++) {
        const ack = await call(sock, 'typing', { conversationId: started.conversationId, typing: true });
        expect(ack.ok).toBe(true);
      }
      expect((await call(sock, 'typing', { conversationId: started.conversationId, typing: false })).ok).toBe(true);
      // Signals from one socket arrive in order: once the "stopped" is here, every passed one is too.
      await waitFor(() => seen.some((e) => !e.typing));
      expect(seen.map((e) => e.typing)).toEqual([true, true, true, false]);
    } finally {
      sock.close();
      agent.close();
    }
  });

  it('/collab: a connection past its frame budget is closed', async () => {
    const conv = await s.req('POST', '/conversations', {
      auth: s.admin,
      body: { inboxId: s.inboxId, subject: 'Drafts', contact: { name: 'Dora' }, message: { body: 'hi' } },
    });
    expect(conv.status).toBe(201);
    const draft = connectDraft(s.url, `draft:${conv.body.id}`, s.admin.cookie);
    await waitFor(() => draft.events.synced);
    // Twenty frames per ten seconds: a burst of edits overdraws it and the server closes the socket.
    for (let i = 0; i < 40; i++) draft.text.insert(0, 'x');
    await waitFor(() => draft.events.closes > 0);
    destroyDrafts();
  });

  it('/collab: draft connections per user per minute (429 on the upgrade past it)', async () => {
    const user = await s.req('POST', '/users', {
      auth: s.admin,
      body: { email: 'drafts@test.autocrm.dev', name: 'Drafts', role: 'agent', password: 'pw-drafts-123456' },
    });
    expect(user.status).toBe(201);
    const session = await s.login('drafts@test.autocrm.dev', 'pw-drafts-123456');
    const upgrade = () =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`${s.url.replace(/^http/, 'ws')}/collab`, { headers: { cookie: session.cookie } });
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('error', () => resolve(-1));
      });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push(await upgrade());
    expect(statuses).toEqual([101, 101, 101, 429]);
  });
});
