import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// The endpoints the settings and contacts pages added: contact import (all or nothing, duplicates by
// email updated), a webhook's test event (signed, to a real receiver on loopback), tag rename/merge.

describe(`admin page endpoints (${BACKEND})`, () => {
  let s: TestServer;
  let agent: Awaited<ReturnType<TestServer['login']>>;
  beforeAll(async () => {
    s = await startTestServer();
    const made = await s.req('POST', '/users', {
      auth: s.admin,
      body: { email: 'agent.pages@example.com', name: 'Pat Agent', role: 'agent', password: 'agent-password-1' },
    });
    expect(made.status).toBe(201);
    agent = await s.login('agent.pages@example.com', 'agent-password-1');
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  const allContacts = async () => {
    const res = await s.req('GET', '/contacts?limit=100', { auth: s.admin });
    return res.body.data as { id: string; email: string | null; name: string | null; attributes: Record<string, unknown> }[];
  };

  it('imports all or nothing: a bad row names its index and nothing is stored', async () => {
    const before = (await allContacts()).length;
    const bad = await s.req('POST', '/contacts/import', {
      auth: s.admin,
      body: {
        rows: [
          { name: 'Ann', email: 'ann@import.test' },
          { name: 'Bob', email: 'not-an-email' },
        ],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path)).toContain('rows.1.email');
    expect((await allContacts()).length).toBe(before);

    // A conflict found only while storing (Dan's row gives him the external id another contact has) also
    // undoes the earlier rows.
    const holder = await s.req('POST', '/contacts', {
      auth: s.admin,
      body: { email: 'holder@import.test', externalId: 'ext-1' },
    });
    expect(holder.status).toBe(201);
    expect((await s.req('POST', '/contacts', { auth: s.admin, body: { email: 'dan@import.test' } })).status).toBe(201);
    const conflict = await s.req('POST', '/contacts/import', {
      auth: s.admin,
      body: { rows: [{ email: 'cara@import.test' }, { email: 'dan@import.test', externalId: 'ext-1' }] },
    });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.message).toMatch(/^row 2:/);
    expect(conflict.body.error.issues[0].path).toBe('rows.1.externalId');
    expect((await allContacts()).some((c) => c.email === 'cara@import.test')).toBe(false);
  });

  it('updates a contact whose email is known instead of adding a second one, also within one file', async () => {
    const known = await s.req('POST', '/contacts', {
      auth: s.admin,
      body: { name: 'Eve Old', email: 'eve@import.test', attributes: { plan: 'basic', city: 'Oslo' } },
    });
    const res = await s.req('POST', '/contacts/import', {
      auth: s.admin,
      body: {
        rows: [
          { name: 'Eve New', email: 'EVE@import.test', attributes: { plan: 'pro' } },
          { name: 'Finn', email: 'finn@import.test', attributes: { note: '=HYPERLINK("http://x")' } },
          { email: 'finn@import.test', phone: '+47 555 1234' },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 1, updated: 2 });
    expect(res.body.ids[0]).toBe(known.body.id);
    expect(res.body.ids[1]).toBe(res.body.ids[2]);
    const all = await allContacts();
    expect(all.filter((c) => c.email === 'eve@import.test')).toHaveLength(1);
    const eve = all.find((c) => c.email === 'eve@import.test')!;
    expect(eve.name).toBe('Eve New');
    expect(eve.attributes).toEqual({ plan: 'pro', city: 'Oslo' });
    const finn = await s.req('GET', `/contacts/${res.body.ids[1]}`, { auth: s.admin });
    // Stored as given: spreadsheets are guarded on export, not by changing people's data.
    expect(finn.body).toMatchObject({ name: 'Finn', phone: '+47 555 1234', attributes: { note: '=HYPERLINK("http://x")' } });
    // Importing the same file again changes no count of contacts.
    const count = all.length;
    await s.req('POST', '/contacts/import', { auth: s.admin, body: { rows: [{ name: 'Finn', email: 'finn@import.test' }] } });
    expect((await allContacts()).length).toBe(count);
  });

  it('sends a signed test event to the webhook and logs its delivery', async () => {
    const received: { headers: Record<string, string>; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers as Record<string, string>, body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const hook = await s.req('POST', '/webhooks', { auth: s.admin, body: { url, events: ['sla.breached'] } });
      expect(hook.status).toBe(201);
      expect((await s.req('POST', `/webhooks/${hook.body.id}/test`, { auth: agent })).status).toBe(403);
      const queued = await s.req('POST', `/webhooks/${hook.body.id}/test`, { auth: s.admin });
      expect(queued.status).toBe(202);
      expect(queued.body).toMatchObject({ eventType: 'webhook.test', status: 'pending' });
      await waitFor(() => received.length > 0);
      const r = received[0]!;
      const verified = new Webhook(hook.body.secret).verify(r.body, {
        'webhook-id': r.headers['webhook-id']!,
        'webhook-timestamp': r.headers['webhook-timestamp']!,
        'webhook-signature': r.headers['webhook-signature']!,
      }) as { type: string; data: { webhookId: string } };
      expect(verified.type).toBe('webhook.test');
      expect(verified.data.webhookId).toBe(hook.body.id);
      expect(r.headers['webhook-id']).toBe(queued.body.id);
      const log = await waitFor(async () => {
        const res = await s.req('GET', `/webhooks/${hook.body.id}/deliveries`, { auth: s.admin });
        return res.body.data[0]?.status === 'succeeded' ? res.body.data : null;
      });
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({ id: queued.body.id, eventType: 'webhook.test', lastStatusCode: 200 });
      // Two tests in a row are two deliveries (their negative event ids never collide).
      const again = await s.req('POST', `/webhooks/${hook.body.id}/test`, { auth: s.admin });
      expect(again.status).toBe(202);
      expect(again.body.id).not.toBe(queued.body.id);
      await waitFor(() => received.length > 1);

      // Rotating the secret: only an admin; the next request is signed with the new secret only.
      expect((await s.req('POST', `/webhooks/${hook.body.id}/rotate-secret`, { auth: agent })).status).toBe(403);
      const rotated = await s.req('POST', `/webhooks/${hook.body.id}/rotate-secret`, { auth: s.admin });
      expect(rotated.status).toBe(200);
      expect(rotated.body.secret).toMatch(/^whsec_/);
      expect(rotated.body.secret).not.toBe(hook.body.secret);
      await s.req('POST', `/webhooks/${hook.body.id}/test`, { auth: s.admin });
      await waitFor(() => received.length > 2);
      const r3 = received[2]!;
      const h3 = {
        'webhook-id': r3.headers['webhook-id']!,
        'webhook-timestamp': r3.headers['webhook-timestamp']!,
        'webhook-signature': r3.headers['webhook-signature']!,
      };
      expect(() => new Webhook(rotated.body.secret).verify(r3.body, h3)).not.toThrow();
      expect(() => new Webhook(hook.body.secret).verify(r3.body, h3)).toThrow();
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('renames, recolours and merges tags; conversations follow; counts are listed', async () => {
    const conv = await s.req('POST', '/conversations', {
      auth: s.admin,
      body: { inboxId: s.inboxId, subject: 'Tags', tags: ['refund', 'refunds'] },
    });
    expect(conv.status).toBe(201);
    const other = await s.req('POST', '/conversations', { auth: s.admin, body: { inboxId: s.inboxId, tags: ['refunds'] } });
    expect(other.status).toBe(201);
    const tags = async () =>
      (await s.req('GET', '/tags', { auth: s.admin })).body.data as {
        id: string;
        name: string;
        color: string | null;
        conversations: number;
      }[];
    const list = await tags();
    const refund = list.find((t) => t.name === 'refund')!;
    const refunds = list.find((t) => t.name === 'refunds')!;
    expect(refund.conversations).toBe(1);
    expect(refunds.conversations).toBe(2);

    expect((await s.req('PATCH', `/tags/${refund.id}`, { auth: agent, body: { name: 'x' } })).status).toBe(403);
    const clash = await s.req('PATCH', `/tags/${refund.id}`, { auth: s.admin, body: { name: 'Refunds' } });
    expect(clash.status).toBe(409);
    const renamed = await s.req('PATCH', `/tags/${refund.id}`, { auth: s.admin, body: { name: 'Money back', color: '#aa0000' } });
    expect(renamed.body).toMatchObject({ name: 'money back', color: '#aa0000' });
    expect((await s.req('GET', `/conversations/${conv.body.id}`, { auth: s.admin })).body.tags.sort()).toEqual([
      'money back',
      'refunds',
    ]);

    expect((await s.req('POST', `/tags/${refunds.id}/merge`, { auth: s.admin, body: { into: refunds.id } })).status).toBe(400);
    const merged = await s.req('POST', `/tags/${refunds.id}/merge`, { auth: s.admin, body: { into: refund.id } });
    expect(merged.status).toBe(200);
    expect((await s.req('GET', `/conversations/${conv.body.id}`, { auth: s.admin })).body.tags).toEqual(['money back']);
    expect((await s.req('GET', `/conversations/${other.body.id}`, { auth: s.admin })).body.tags).toEqual(['money back']);
    const after = await tags();
    expect(after.some((t) => t.id === refunds.id)).toBe(false);
    expect(after.find((t) => t.id === refund.id)?.conversations).toBe(2);
    const audit = await s.req('GET', `/audit-log?entityType=tag&entityId=${refunds.id}`, { auth: s.admin });
    expect(audit.body.data.map((e: { action: string }) => e.action)).toContain('tag.merged');
  });

  it("rotates a web inbox's identity secret: hashes signed with the old one stop verifying", async () => {
    const { createHmac } = await import('node:crypto');
    const before = (await s.req('GET', `/inboxes/${s.inboxId}/widget`, { auth: s.admin })).body.identitySecret as string;
    const token = (await s.req('GET', '/inboxes', { auth: s.admin })).body.data.find((i: { id: string }) => i.id === s.inboxId)
      .websiteToken as string;
    const boot = (secret: string) =>
      fetch(`${s.url}/widget-api/v1/visitors`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          websiteToken: token,
          user: { id: 'u-42', hash: createHmac('sha256', secret).update('u-42').digest('hex') },
        }),
      });
    expect((await s.req('POST', `/inboxes/${s.inboxId}/widget/rotate-identity-secret`, { auth: agent })).status).toBe(403);
    const rotated = await s.req('POST', `/inboxes/${s.inboxId}/widget/rotate-identity-secret`, { auth: s.admin });
    expect(rotated.status).toBe(200);
    expect(rotated.body.identitySecret).not.toBe(before);
    expect((await s.req('GET', `/inboxes/${s.inboxId}/widget`, { auth: s.admin })).body.identitySecret).toBe(
      rotated.body.identitySecret,
    );
    const fresh = await boot(rotated.body.identitySecret);
    const stale = await boot(before);
    expect(fresh.status).toBe(201);
    expect(((await fresh.json()) as { verified: boolean }).verified).toBe(true);
    // The old hash is no proof any more: at most an unverified visitor.
    expect(((await stale.json().catch(() => ({}))) as { verified?: boolean }).verified).not.toBe(true);
  });
});
