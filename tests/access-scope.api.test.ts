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

  it('a hidden contact cannot be reached through a new conversation: by id it is unknown, by email it is not matched', async () => {
    const before = (await s.req('GET', `/contacts/${hidden.contactId}`, { auth: s.admin })).body;
    const byId = await s.req('POST', '/conversations', {
      auth: agent,
      body: { inboxId: s.inboxId, subject: 'Probe', contactId: hidden.contactId, message: { body: 'hi' } },
    });
    const unknown = await s.req('POST', '/conversations', {
      auth: agent,
      body: { inboxId: s.inboxId, subject: 'Probe', contactId: '00000000-0000-4000-8000-000000000000', message: { body: 'hi' } },
    });
    // The same answer as for a contact that does not exist.
    expect(byId.status).toBe(400);
    expect(byId.body.error).toEqual({ ...unknown.body.error, requestId: byId.body.error.requestId });

    const byEmail = await s.req('POST', '/conversations', {
      auth: agent,
      body: { inboxId: s.inboxId, subject: 'Probe', contact: { email: before.email }, message: { body: 'hi' } },
    });
    expect(byEmail.status).toBe(409);
    expect(byEmail.text).not.toContain(hidden.contactId);
    expect(byEmail.text).not.toContain('Hidda');
    // Still hidden: no conversation of the agent's inbox made it visible.
    expect((await s.req('GET', `/contacts/${hidden.contactId}`, { auth: agent })).status).toBe(404);
    // A visible contact is matched by email as before.
    const shownContact = (await s.req('GET', `/contacts/${shown.contactId}`, { auth: agent })).body;
    const matched = await s.req('POST', '/conversations', {
      auth: agent,
      body: { inboxId: s.inboxId, subject: 'Again', contact: { email: shownContact.email }, message: { body: 'hi' } },
    });
    expect(matched.status).toBe(201);
    expect(matched.body.contactId).toBe(shown.contactId);
  });

  it("changing a contact's email to a hidden contact's answers exactly as for a visible one, naming nobody", async () => {
    const hiddenContact = (await s.req('GET', `/contacts/${hidden.contactId}`, { auth: s.admin })).body;
    const loose = await s.req('POST', '/contacts', { auth: s.admin, body: { name: 'Lou', email: 'lou@customer.example' } });
    const mine = await s.req('POST', '/contacts', { auth: agent, body: { name: 'Mia' } });
    expect(mine.status).toBe(201);
    const toHidden = await s.req('PATCH', `/contacts/${mine.body.id}`, { auth: agent, body: { email: hiddenContact.email } });
    const toVisible = await s.req('PATCH', `/contacts/${mine.body.id}`, { auth: agent, body: { email: loose.body.email } });
    expect(toHidden.status).toBe(toVisible.status);
    expect(toHidden.body.error).toEqual({ ...toVisible.body.error, requestId: toHidden.body.error.requestId });
    expect(toHidden.text).not.toContain(hidden.contactId);
    expect(toHidden.text).not.toContain('Hidda');
  });
});
