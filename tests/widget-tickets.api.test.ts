import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connected, type TestSocket, visitorSocket } from './helpers/sockets';
import { startTestServer, type TestServer } from './helpers/test-server';

// The widget's past conversations across inboxes and channels (/widget-api/v1/tickets): a verified
// user's widget lists the contact's email conversation and a conversation from another website as the
// portal does, reads them (public messages only), and nobody else's; an anonymous visitor sees their own.

describe('widget: past conversations on every channel', () => {
  let s: TestServer;
  let websiteToken: string;
  let secret: string;
  let emailInboxId: string;
  let otherSiteInboxId: string;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    s = await startTestServer();
    const inbox = (await s.req('GET', '/inboxes', { auth: s.admin })).body.data.find((i: { id: string }) => i.id === s.inboxId);
    websiteToken = inbox.websiteToken;
    secret = (await s.req('GET', `/inboxes/${s.inboxId}/widget`, { auth: s.admin })).body.identitySecret;
    const email = await s.req('POST', '/inboxes', {
      auth: s.admin,
      body: { name: 'help@acme.test', channel: 'email', members: [s.admin.userId] },
    });
    emailInboxId = email.body.id;
    otherSiteInboxId = (await s.req('POST', '/inboxes', { auth: s.admin, body: { name: 'Shop site', channel: 'web' } })).body.id;
  });
  afterAll(async () => {
    for (const x of sockets) x.disconnect();
    await s?.close();
  });

  const newVisitor = async (user?: { id: string; name: string }) => {
    const res = await fetch(`${s.url}/widget-api/v1/visitors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        websiteToken,
        ...(user ? { user: { ...user, hash: createHmac('sha256', secret).update(user.id).digest('hex') } } : {}),
      }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { visitorToken: string; contactId: string };
  };
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${s.url}/widget-api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://customer.example' },
      body: JSON.stringify(body),
    });
    return { status: res.status, cors: res.headers.get('access-control-allow-origin'), body: (await res.json()) as any };
  };
  const conversation = async (inboxId: string, contactId: string, subject: string, body: string) => {
    const res = await s.req('POST', '/conversations', {
      auth: s.admin,
      body: { inboxId, contactId, subject, message: { body, from: 'contact' } },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  it("lists a verified user's conversations from email and another website, as the portal does, and reads them", async () => {
    const v = await newVisitor({ id: 'cust-42', name: 'Dana' });
    const socket = visitorSocket(s.url, websiteToken, v.visitorToken);
    sockets.push(socket);
    await connected(socket);
    const started = await call(socket, 'conversation:start', { clientId: 'c-1', body: 'Hello from the site' });
    expect(started.ok).toBe(true);
    const byEmail = await conversation(emailInboxId, v.contactId, 'Invoice question', 'Where is my invoice?');
    const onShop = await conversation(otherSiteInboxId, v.contactId, 'Shop order', 'Order 7 is late');
    // An internal note in the email conversation never reaches the customer.
    expect(
      (
        await s.req('POST', `/conversations/${byEmail}/messages`, {
          auth: s.admin,
          body: { body: 'internal: check with billing', private: true },
        })
      ).status,
    ).toBe(201);
    await s.req('POST', `/conversations/${byEmail}/messages`, { auth: s.admin, body: { body: 'It is attached here.' } });

    const list = await post('/tickets', { websiteToken, visitorToken: v.visitorToken });
    expect(list.status).toBe(200);
    expect(list.cors).toBe('*');
    const ids = list.body.data.map((t: { id: string }) => t.id);
    expect(new Set(ids)).toEqual(new Set([started.conversationId, byEmail, onShop]));
    expect(list.body.data.find((t: { id: string }) => t.id === byEmail)).toMatchObject({
      subject: 'Invoice question',
      channel: 'email',
      status: { category: 'open' },
    });

    // The portal's own list for the same contact is the same tickets.
    const { listPortalTickets } = await import('../server/src/domain/portal/tickets');
    expect(await listPortalTickets(s.deps.db, { contactId: v.contactId })).toEqual(list.body.data);

    const read = await post(`/tickets/${byEmail}`, { websiteToken, visitorToken: v.visitorToken });
    expect(read.status).toBe(200);
    expect(read.body.messages.map((m: { from: string; bodyText: string }) => [m.from, m.bodyText])).toEqual([
      ['you', 'Where is my invoice?'],
      ['agent', 'It is attached here.'],
    ]);
  });

  it("never shows another contact's tickets; an anonymous visitor sees only their own; bad input is a clear 4xx", async () => {
    const owner = await newVisitor({ id: 'cust-77', name: 'Eve' });
    const secretTicket = await conversation(emailInboxId, owner.contactId, 'Private matter', 'Only mine');
    const stranger = await newVisitor();
    const socket = visitorSocket(s.url, websiteToken, stranger.visitorToken);
    sockets.push(socket);
    await connected(socket);
    const mine = await call(socket, 'conversation:start', { clientId: 'c-2', body: 'Anonymous hello' });

    const list = await post('/tickets', { websiteToken, visitorToken: stranger.visitorToken });
    expect(list.body.data.map((t: { id: string }) => t.id)).toEqual([mine.conversationId]);
    const peek = await post(`/tickets/${secretTicket}`, { websiteToken, visitorToken: stranger.visitorToken });
    expect(peek.status).toBe(404);
    expect(peek.body.error.code).toBe('not_found');

    expect((await post('/tickets', { websiteToken, visitorToken: 'vt_nobody' })).status).toBe(401);
    expect((await post('/tickets', { websiteToken: 'wt_other', visitorToken: owner.visitorToken })).status).toBe(401);
    const bad = await post('/tickets/not-a-uuid', { websiteToken, visitorToken: owner.visitorToken });
    expect(bad.status).toBe(400);
    expect((await post('/tickets', { websiteToken, visitorToken: owner.visitorToken, extra: 1 })).status).toBe(400);
  });
});
