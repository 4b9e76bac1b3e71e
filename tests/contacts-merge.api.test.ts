import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, collect, connected, newVisitor, type TestSocket, visitorSocket } from './helpers/sockets';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Duplicate contacts merged: conversations, visitors, identities and attributes move; conflicts one way.
describe(`merge contacts (${BACKEND})`, () => {
  let s: TestServer;
  let websiteToken: string;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    s = await startTestServer();
    websiteToken = (await s.req('GET', '/inboxes', { auth: s.admin })).body.data.find(
      (i: { id: string }) => i.id === s.inboxId,
    ).websiteToken;
  }, 180_000);
  afterAll(async () => {
    for (const so of sockets) so.disconnect();
    await s?.close();
  });

  it('moves everything to the survivor, keeps the duplicate’s different identities aside, and the live widget follows', async () => {
    const survivor = await s.req('POST', '/contacts', {
      auth: s.admin,
      body: { name: 'Ann Lee', email: 'ann@example.com', attributes: { plan: 'pro', city: 'Paris' } },
    });
    const emailed = await s.req('POST', '/conversations', {
      auth: s.admin,
      body: { inboxId: s.inboxId, contactId: survivor.body.id, subject: 'by email', message: { body: 'sent by mail' } },
    });

    // The duplicate is the same person chatting in the widget, who later gave another address.
    const v = await newVisitor(s.url, websiteToken);
    const vs = visitorSocket(s.url, websiteToken, v.visitorToken);
    sockets.push(vs);
    await connected(vs);
    const ended = collect(vs, 'session:ended');
    const chat = await call(vs, 'conversation:start', { clientId: 'dup-1', body: 'hi from the widget' });
    expect(
      (
        await s.req('PATCH', `/contacts/${v.contactId}`, {
          auth: s.admin,
          body: {
            email: 'ann.lee@work.example',
            phone: '+44 20 7946 0000',
            externalId: 'crm-77',
            attributes: { plan: 'free', seats: 10 },
          },
        })
      ).status,
    ).toBe(200);

    const res = await s.req('POST', `/contacts/${survivor.body.id}/merge`, { auth: s.admin, body: { duplicateId: v.contactId } });
    expect(res.status).toBe(200);
    expect(res.body.movedConversations).toBe(1);
    expect(res.body.contact).toMatchObject({
      id: survivor.body.id,
      name: 'Ann Lee',
      email: 'ann@example.com',
      phone: '+44 20 7946 0000',
      externalId: 'crm-77',
      attributes: { plan: 'pro', city: 'Paris', seats: 10, otherEmails: 'ann.lee@work.example' },
    });
    expect(res.body.keptAside).toEqual({ otherEmails: 'ann.lee@work.example' });
    expect((await s.req('GET', `/contacts/${v.contactId}`, { auth: s.admin })).status).toBe(404);
    const moved = await s.req('GET', `/conversations/${chat.conversationId}`, { auth: s.admin });
    expect(moved.body.contactId).toBe(survivor.body.id);
    const msgs = await s.req('GET', `/conversations/${chat.conversationId}/messages`, { auth: s.admin });
    expect(msgs.body.data[0].authorId).toBe(survivor.body.id);
    const audit = await s.req('GET', `/audit-log?entityType=contact&entityId=${survivor.body.id}`, { auth: s.admin });
    const entry = audit.body.data.find((e: { action: string }) => e.action === 'contact.merged');
    expect(entry.before.duplicate.email).toBe('ann.lee@work.example');
    // The duplicate is gone with its unique values: its address is only an attribute of the survivor now.
    expect((await s.req('POST', '/contacts', { auth: s.admin, body: { email: 'ann.lee@work.example' } })).status).toBe(201);

    // The live widget is asked to reconnect, and then it is the survivor: both conversations are its own.
    await waitFor(() => ended.some((e) => e.code === 'conflict'));
    const again = visitorSocket(s.url, websiteToken, v.visitorToken);
    sockets.push(again);
    await connected(again);
    const list = await call(again, 'conversation:list', {});
    expect(list.conversations.map((c: { id: string }) => c.id).sort()).toEqual([chat.conversationId, emailed.body.id].sort());
    expect(
      (await call(again, 'message:send', { conversationId: chat.conversationId, clientId: 'after-merge', body: 'still me' })).ok,
    ).toBe(true);
  });

  it('refuses contacts the agent cannot see and a merge into itself', async () => {
    const hiddenInbox = (await s.req('POST', '/inboxes', { auth: s.admin, body: { name: 'Hidden', channel: 'api' } })).body.id;
    const agentId = (
      await s.req('POST', '/users', {
        auth: s.admin,
        body: { email: 'cm.agent@test.autocrm.dev', name: 'CM', role: 'agent', password: 'agent-password-1' },
      })
    ).body.id;
    await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [agentId] } });
    const agent = await s.login('cm.agent@test.autocrm.dev', 'agent-password-1');
    const conv = (inboxId: string, email: string) =>
      s.req('POST', '/conversations', { auth: s.admin, body: { inboxId, contact: { email } } });
    const mine = (await conv(s.inboxId, 'mine@example.com')).body.contactId;
    const hidden = (await conv(hiddenInbox, 'hidden@example.com')).body.contactId;
    expect((await s.req('POST', `/contacts/${mine}/merge`, { auth: agent, body: { duplicateId: hidden } })).status).toBe(404);
    expect((await s.req('POST', `/contacts/${hidden}/merge`, { auth: agent, body: { duplicateId: mine } })).status).toBe(404);
    expect((await s.req('GET', `/contacts/${hidden}`, { auth: s.admin })).status).toBe(200);
    expect((await s.req('POST', `/contacts/${mine}/merge`, { auth: agent, body: { duplicateId: mine } })).status).toBe(400);
  });
});
