import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink } from './helpers/smtp-sink';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// The customer portal's API over HTTP: sign-in links go through the real account-mail sender to a
// loopback SMTP server; access is checked from both sides (a customer never reaches another contact's
// tickets, internal notes or agent operations; an agent never reaches the portal's).

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe(`customer portal API (${BACKEND})`, () => {
  let s: TestServer;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let ipSeq = 0;
  const freshIp = () => `203.0.113.${++ipSeq}`;
  const mailsTo = (address: string) => sink.mails.filter((m) => m.envelope.to.includes(address));
  const portal = (method: string, path: string, token?: string, body?: unknown, ip = freshIp()) =>
    s.req(method, `/portal${path}`, {
      headers: { 'x-forwarded-for': ip, ...(token ? { 'x-portal-session': token } : {}) },
      ...(body !== undefined ? { body } : {}),
    });
  async function linkToken(address: string, n: number) {
    const mail = (await waitFor(() => mailsTo(address)[n - 1]))!;
    const url = /https?:\/\/\S+\/portal\/sign-in\/([A-Za-z0-9_-]+)/.exec(mail.parsed.text ?? '');
    expect(url, 'a sign-in link in the mail').toBeTruthy();
    return { token: url![1]!, mail };
  }
  async function signIn(address: string, n: number) {
    expect((await portal('POST', '/sign-in/link', undefined, { email: address })).status).toBe(202);
    const { token } = await linkToken(address, n);
    const res = await portal('POST', '/sign-in/link/redeem', undefined, { token });
    expect(res.status).toBe(200);
    return res.body.sessionToken as string;
  }

  let alice: { id: string };
  let bob: { id: string };
  let aliceConv: string;
  let bobConv: string;

  beforeAll(async () => {
    sink = await startSmtpSink();
    s = await startTestServer({ env: { SMTP_URL: sink.url, TRUST_PROXY: '1', RATE_LIMIT_PORTAL_LINKS: '6' } });
    alice = (await s.req('POST', '/contacts', { auth: s.admin, body: { name: 'Alice Example', email: 'alice@example.com' } }))
      .body;
    bob = (await s.req('POST', '/contacts', { auth: s.admin, body: { name: 'Bob Other', email: 'bob@example.com' } })).body;
    const mk = async (contactId: string, subject: string) =>
      (
        await s.req('POST', '/conversations', {
          auth: s.admin,
          body: { inboxId: s.inboxId, contactId, subject, message: { body: `${subject}: please help`, from: 'contact' } },
        })
      ).body.id as string;
    aliceConv = await mk(alice.id, 'Alice printer');
    bobConv = await mk(bob.id, 'Bob secret');
    expect(
      (
        await s.req('POST', `/conversations/${aliceConv}/notes`, {
          auth: s.admin,
          body: { body: 'INTERNAL: customer is on the cheap plan' },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await s.req('POST', `/conversations/${aliceConv}/messages`, {
          auth: s.admin,
          body: { body: '<p>Have you tried turning it off?</p>' },
        })
      ).status,
    ).toBe(201);
  });
  afterAll(async () => {
    await s?.close();
    await sink?.close();
  });

  it('answers the same for a known and an unknown address, and mails only the known one a hashed, single-use link', async () => {
    const known = await portal('POST', '/sign-in/link', undefined, { email: 'Alice@Example.com' });
    const unknown = await portal('POST', '/sign-in/link', undefined, { email: 'nobody@example.com' });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(known.status);
    expect(unknown.body).toEqual(known.body);
    const { token, mail } = await linkToken('alice@example.com', 1);
    expect(mail.parsed.subject).toMatch(/sign-in link/i);
    await s.settle();
    expect(mailsTo('nobody@example.com')).toHaveLength(0);
    // Only the hash is stored.
    const rows = await s.deps.db.selectFrom('portal_links').selectAll().execute();
    expect(rows.map((r) => r.token_hash)).toContain(sha256(token));
    expect(JSON.stringify(rows)).not.toContain(token);

    const first = await portal('POST', '/sign-in/link/redeem', undefined, { token });
    expect(first.status).toBe(200);
    expect(first.body.sessionToken).toMatch(/^ps_/);
    const again = await portal('POST', '/sign-in/link/redeem', undefined, { token });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('link_invalid');
  });

  it('refuses an expired link', async () => {
    await portal('POST', '/sign-in/link', undefined, { email: 'alice@example.com' });
    const { token } = await linkToken('alice@example.com', 2);
    await s.deps.db
      .updateTable('portal_links')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('token_hash', '=', sha256(token))
      .execute();
    const res = await portal('POST', '/sign-in/link/redeem', undefined, { token });
    expect(res.status).toBe(410);
    expect(res.body.error.code).toBe('link_expired');
  });

  it('limits link requests per address, known or not', async () => {
    const ask = (email: string) => portal('POST', '/sign-in/link', undefined, { email });
    for (let i = 0; i < 6; i++) expect((await ask('ghost@example.com')).status).toBe(202);
    const seventh = await ask('ghost@example.com');
    expect(seventh.status).toBe(429);
    expect(seventh.body.error.code).toBe('rate_limited');
  });

  it("shows a customer only their own tickets and public messages, never another contact's or internal notes", async () => {
    const token = await signIn('bob@example.com', 1);
    const list = await portal('GET', '/tickets', token);
    expect(list.status).toBe(200);
    expect(list.body.data.map((t: { id: string }) => t.id)).toEqual([bobConv]);
    // Alice's ticket answers not found to Bob, whatever he tries.
    expect((await portal('GET', `/tickets/${aliceConv}`, token)).status).toBe(404);
    expect((await portal('POST', `/tickets/${aliceConv}/messages`, token, { body: 'let me in' })).status).toBe(404);
    expect((await portal('POST', `/tickets/${aliceConv}/close`, token)).status).toBe(404);
    expect((await portal('POST', `/tickets/${aliceConv}/rating`, token, { rating: 1 })).status).toBe(404);
    const aliceMessages = await s.deps.db
      .selectFrom('messages')
      .select('body_text')
      .where('conversation_id', '=', aliceConv)
      .execute();
    expect(aliceMessages.map((m) => m.body_text)).not.toContain('let me in');

    const aliceToken = await signIn('alice@example.com', 3);
    const detail = await portal('GET', `/tickets/${aliceConv}`, aliceToken);
    expect(detail.status).toBe(200);
    const texts = detail.body.messages.map((m: { bodyText: string }) => m.bodyText).join('\n');
    expect(texts).toContain('Have you tried turning it off?');
    expect(texts).not.toContain('INTERNAL');
    expect(detail.body.messages.map((m: { from: string }) => m.from)).toEqual(['you', 'agent']);
    expect(detail.body.messages[1].authorName).toBeTruthy();

    const reply = await portal('POST', `/tickets/${aliceConv}/messages`, aliceToken, { body: 'Yes, twice.', clientId: 'c-1' });
    expect(reply.status).toBe(201);
    const retried = await portal('POST', `/tickets/${aliceConv}/messages`, aliceToken, { body: 'Yes, twice.', clientId: 'c-1' });
    expect(retried.body.seq).toBe(reply.body.seq);
    const agentView = await s.req('GET', `/conversations/${aliceConv}/messages`, { auth: s.admin });
    const last = agentView.body.data.at(-1);
    expect(last).toMatchObject({ authorKind: 'contact', authorId: alice.id, bodyText: 'Yes, twice.' });
  });

  it('keeps customers and agents apart: no portal session opens agent operations, no agent session the portal', async () => {
    const token = await signIn('bob@example.com', 2);
    // The portal token as a bearer key, as a cookie, or in its header: agent operations stay shut.
    expect((await s.req('GET', '/conversations', { auth: token })).status).toBe(401);
    expect((await s.req('GET', '/conversations', { headers: { 'x-portal-session': token } })).status).toBe(401);
    expect((await s.req('GET', '/conversations', { headers: { cookie: `autocrm_session=${token}` } })).status).toBe(401);
    expect((await s.req('GET', `/conversations/${bobConv}/messages`, { headers: { 'x-portal-session': token } })).status).toBe(
      401,
    );
    // An agent's session (cookie or key) is not a portal session.
    expect((await s.req('GET', '/portal/tickets', { auth: s.admin })).status).toBe(401);
    expect((await s.req('GET', '/portal/tickets', { auth: await s.apiKey(['admin']) })).status).toBe(401);
    expect((await portal('GET', '/tickets', 'ps_forged-token')).status).toBe(401);
  });

  it('opens a ticket with customer-visible fields only and attachments it uploaded, closes and rates it', async () => {
    const visible = await s.req('POST', '/custom-fields', {
      auth: s.admin,
      body: { key: 'order_number', label: 'Order number', type: 'text', customerVisible: true },
    });
    expect(visible.status).toBe(201);
    expect(visible.body.customerVisible).toBe(true);
    await s.req('POST', '/custom-fields', { auth: s.admin, body: { key: 'risk', label: 'Risk', type: 'text' } });
    const token = await signIn('alice@example.com', 4);
    const fields = await portal('GET', '/ticket-fields', token);
    expect(fields.body.data.map((f: { key: string }) => f.key)).toEqual(['order_number']);

    const form = new FormData();
    form.append('file', new Blob(['order list\n'], { type: 'text/plain' }), 'orders.txt');
    const up = await fetch(`${s.url}/api/v1/portal/uploads`, {
      method: 'POST',
      headers: { 'x-portal-session': token },
      body: form,
    });
    expect(up.status).toBe(201);
    const attachment = await up.json();
    // An executable declared as a PNG is refused by its bytes.
    const bad = new FormData();
    bad.append('file', new Blob([new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0])], { type: 'image/png' }), 'x.png');
    expect(
      (await fetch(`${s.url}/api/v1/portal/uploads`, { method: 'POST', headers: { 'x-portal-session': token }, body: bad }))
        .status,
    ).toBe(415);

    const hidden = await portal('POST', '/tickets', token, { subject: 'x', description: 'y', customFields: { risk: 'low' } });
    expect(hidden.status).toBe(400);
    const created = await portal('POST', '/tickets', token, {
      subject: 'Broken order',
      description: 'My order arrived broken',
      customFields: { order_number: 'A-1001' },
      attachments: [attachment],
      locale: 'de',
    });
    expect(created.status).toBe(201);
    const conv = await s.req('GET', `/conversations/${created.body.id}`, { auth: s.admin });
    expect(conv.body).toMatchObject({ subject: 'Broken order', contactId: alice.id, customFields: { order_number: 'A-1001' } });
    const msgs = await s.req('GET', `/conversations/${created.body.id}/messages`, { auth: s.admin });
    expect(msgs.body.data[0].attachments[0].name).toBe('orders.txt');

    // Rating needs a resolved ticket; closing resolves it; the rating is the widget's event.
    expect((await portal('POST', `/tickets/${created.body.id}/rating`, token, { rating: 5 })).status).toBe(409);
    expect((await portal('POST', `/tickets/${created.body.id}/close`, token)).status).toBe(200);
    expect((await portal('POST', `/tickets/${created.body.id}/rating`, token, { rating: 4, comment: 'fast' })).status).toBe(200);
    const after = await s.req('GET', `/conversations/${created.body.id}`, { auth: s.admin });
    expect(after.body.status.category).toBe('resolved');
    expect(after.body.csat).toMatchObject({ rating: 4, comment: 'fast' });
  });

  it('signs in with the host site identity the widget accepts, and signs out everywhere', async () => {
    const widget = (await s.req('GET', `/inboxes/${s.inboxId}/widget`, { auth: s.admin })).body;
    const inboxes = await s.req('GET', '/inboxes', { auth: s.admin });
    widget.websiteToken = inboxes.body.data.find((i: { id: string }) => i.id === s.inboxId).websiteToken;
    const hash = createHmac('sha256', widget.identitySecret).update('user-42').digest('hex');
    const forged = await portal('POST', '/sign-in/identity', undefined, {
      websiteToken: widget.websiteToken,
      userId: 'user-42',
      hash: '0'.repeat(64),
    });
    expect(forged.status, forged.text).toBe(401);
    const one = await portal('POST', '/sign-in/identity', undefined, {
      websiteToken: widget.websiteToken,
      userId: 'user-42',
      hash,
    });
    expect(one.status).toBe(200);
    const two = await portal('POST', '/sign-in/identity', undefined, {
      websiteToken: widget.websiteToken,
      userId: 'user-42',
      hash,
    });
    const me = await portal('GET', '/me', one.body.sessionToken);
    expect(me.status).toBe(200);
    expect((await portal('GET', '/me', two.body.sessionToken)).body.contact.id).toBe(me.body.contact.id);
    expect((await portal('POST', '/sign-out/everywhere', one.body.sessionToken)).body.ended).toBe(2);
    expect((await portal('GET', '/me', one.body.sessionToken)).status).toBe(401);
    expect((await portal('GET', '/me', two.body.sessionToken)).status).toBe(401);
  });

  it('signs in with an optional password, with the same refusal for an unknown address', async () => {
    const token = await signIn('alice@example.com', 5);
    expect((await portal('PUT', '/me/password', token, { password: 'short' })).status).toBe(400);
    expect((await portal('PUT', '/me/password', token, { password: 'a-long-customer-password' })).status).toBe(200);
    const good = await portal('POST', '/sign-in/password', undefined, {
      email: 'alice@example.com',
      password: 'a-long-customer-password',
    });
    expect(good.status).toBe(200);
    const wrong = await portal('POST', '/sign-in/password', undefined, {
      email: 'alice@example.com',
      password: 'nope-nope-nope',
    });
    const unknown = await portal('POST', '/sign-in/password', undefined, {
      email: 'nobody@example.com',
      password: 'nope-nope-nope',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.body).toMatchObject({ error: { code: wrong.body.error.code, message: wrong.body.error.message } });
    const prefs = await portal('PUT', '/me/notifications', good.body.sessionToken, {
      emailReplies: true,
      emailStatus: false,
      push: false,
    });
    expect(prefs.status).toBe(200);
  });

  it('stores notification preferences where the notifications read them, and an unsubscribe shows as email off', async () => {
    const token = await signIn('bob@example.com', mailsTo('bob@example.com').length + 1);
    const defaults = await portal('GET', '/me/notifications', token);
    expect(defaults.body).toMatchObject({ emailReplies: true, emailStatus: true });
    const put = await portal('PUT', '/me/notifications', token, { emailReplies: false, emailStatus: true, push: false });
    expect(put.body).toEqual({ emailReplies: false, emailStatus: true, push: false });
    // Read back through a second session: stored, not echoed.
    const other = await signIn('bob@example.com', mailsTo('bob@example.com').length + 1);
    expect((await portal('GET', '/me/notifications', other)).body).toEqual({
      emailReplies: false,
      emailStatus: true,
      push: false,
    });
    const row = await s.deps.db
      .selectFrom('contact_notification_prefs')
      .selectAll()
      .where('contact_id', '=', bob.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ email_replies: false, email_status: true, push: false });
  });
});
