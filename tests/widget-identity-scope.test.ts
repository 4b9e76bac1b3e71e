import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server';

// External user ids are scoped per inbox: a user id signed with inbox B's secret is B's user, never
// the contact that inbox A's verified user with the same id is.

describe('verified widget users are scoped per inbox', () => {
  let s: TestServer;
  const inboxes: { websiteToken: string; secret: string }[] = [];

  beforeAll(async () => {
    s = await startTestServer();
    const other = await s.req('POST', '/inboxes', { auth: s.admin, body: { name: 'Other site', channel: 'web' } });
    for (const id of [s.inboxId, other.body.id as string]) {
      const w = await s.req('GET', `/inboxes/${id}/widget`, { auth: s.admin });
      const inbox = (await s.req('GET', '/inboxes', { auth: s.admin })).body.data.find((i: { id: string }) => i.id === id);
      inboxes.push({ websiteToken: inbox.websiteToken, secret: w.body.identitySecret });
    }
  });
  afterAll(() => s?.close());

  const visitor = async (i: number, userId: string, name: string) => {
    const { websiteToken, secret } = inboxes[i]!;
    const res = await fetch(`${s.url}/widget-api/v1/visitors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        websiteToken,
        user: { id: userId, name, hash: createHmac('sha256', secret).update(userId).digest('hex') },
      }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { contactId: string; verified: boolean };
  };

  it('the same external id in another inbox is another contact and cannot rename this one', async () => {
    const a = await visitor(0, 'user-7', 'Alice of A');
    expect(a.verified).toBe(true);
    const b = await visitor(1, 'user-7', 'Mallory via B');
    expect(b.verified).toBe(true);
    expect(b.contactId).not.toBe(a.contactId);
    const contactA = await s.req('GET', `/contacts/${a.contactId}`, { auth: s.admin });
    expect(contactA.body).toMatchObject({ name: 'Alice of A', externalId: 'user-7' });
    // Each inbox's own user still comes back to their own contact.
    expect((await visitor(0, 'user-7', 'Alice of A')).contactId).toBe(a.contactId);
    expect((await visitor(1, 'user-7', 'Bob of B')).contactId).toBe(b.contactId);
  });

  it('a contact made through the API with that external id is joined by the first inbox that verifies it', async () => {
    const made = await s.req('POST', '/contacts', { auth: s.admin, body: { name: 'From CRM', externalId: 'crm-1' } });
    expect(made.status).toBe(201);
    expect((await visitor(1, 'crm-1', 'From CRM')).contactId).toBe(made.body.id);
    expect((await visitor(0, 'crm-1', 'Someone else')).contactId).not.toBe(made.body.id);
  });
});
