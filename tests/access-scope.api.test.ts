import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Session, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Contacts and the routing queue are scoped like conversations: an agent sees what belongs to an
// inbox they are a member of (and contacts that belong to no inbox), nothing of other inboxes.

describe('contacts and the queue are scoped by inbox membership', () => {
  let s: TestServer;
  let agent: Session;
  let otherInbox: string;
  let hidden: { contactId: string; conversationId: string };
  let shown: { contactId: string; conversationId: string };

  const conversationIn = async (inboxId: string, name: string) => {
    const res = await s.req('POST', '/conversations', {
      auth: s.admin,
      body: {
        inboxId,
        subject: `From ${name}`,
        contact: { name, email: `${name.toLowerCase()}@customer.example`, externalId: `ext-${name}` },
        message: { body: 'Hello' },
      },
    });
    expect(res.status).toBe(201);
    return { contactId: res.body.contactId as string, conversationId: res.body.id as string };
  };

  beforeAll(async () => {
    s = await startTestServer();
    const user = await s.req('POST', '/users', {
      auth: s.admin,
      body: { email: 'scoped@test.autocrm.dev', name: 'Scoped Agent', role: 'agent', password: 'pw-scoped-123456' },
    });
    expect(user.status).toBe(201);
    expect((await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [user.body.id] } })).status).toBe(
      200,
    );
    const other = await s.req('POST', '/inboxes', { auth: s.admin, body: { name: 'VIP inbox', channel: 'web' } });
    otherInbox = other.body.id;
    hidden = await conversationIn(otherInbox, 'Hidda');
    shown = await conversationIn(s.inboxId, 'Shona');
    agent = await s.login('scoped@test.autocrm.dev', 'pw-scoped-123456');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('an agent cannot read, search or edit a contact known only in another inbox', async () => {
    expect((await s.req('GET', `/contacts/${hidden.contactId}`, { auth: agent })).status).toBe(404);
    expect((await s.req('GET', `/contacts/${shown.contactId}`, { auth: agent })).status).toBe(200);
    for (const q of ['Hidda', 'hidda@customer']) {
      const list = await s.req('GET', `/contacts?q=${encodeURIComponent(q)}`, { auth: agent });
      expect(list.status).toBe(200);
      expect(list.body.data.map((c: { id: string }) => c.id)).not.toContain(hidden.contactId);
    }
    const all = await s.req('GET', '/contacts', { auth: agent });
    expect(all.body.data.map((c: { id: string }) => c.id)).toContain(shown.contactId);
    for (const body of [
      { name: 'Owned' },
      { email: 'x@evil.example' },
      { phone: '+1555' },
      { externalId: 'x' },
      { attributes: { a: 1 } },
    ]) {
      expect((await s.req('PATCH', `/contacts/${hidden.contactId}`, { auth: agent, body })).status).toBe(404);
    }
    const after = await s.req('GET', `/contacts/${hidden.contactId}`, { auth: s.admin });
    expect(after.body).toMatchObject({ name: 'Hidda', email: 'hidda@customer.example', externalId: 'ext-Hidda', attributes: {} });
    // A contact of no inbox (made by hand) is workspace-wide; admins see everything.
    const loose = await s.req('POST', '/contacts', { auth: s.admin, body: { name: 'Loose Larry' } });
    expect((await s.req('GET', `/contacts/${loose.body.id}`, { auth: agent })).status).toBe(200);
    expect((await s.req('GET', `/contacts/${hidden.contactId}`, { auth: s.admin })).status).toBe(200);
  });

  it('GET /routing/queue lists only the inboxes the agent works', async () => {
    const ids = async (who: Session | string) =>
      ((await s.req('GET', '/routing/queue', { auth: who })).body.data as { conversationId: string }[]).map(
        (e) => e.conversationId,
      );
    await waitFor(
      async () => {
        const all = await ids(s.admin);
        return all.includes(hidden.conversationId) && all.includes(shown.conversationId);
      },
      { timeoutMs: 30_000 },
    );
    const mine = await ids(agent);
    expect(mine).toContain(shown.conversationId);
    expect(mine).not.toContain(hidden.conversationId);
  });
});
