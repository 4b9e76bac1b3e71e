import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connected, newVisitor, visitorSocket } from './helpers/sockets';
import { BACKEND, startTestServer, type TestServer } from './helpers/test-server';

/** The widget's public endpoints and the admin settings API: what strangers may send, and what they get. */
describe(`widget API (${BACKEND})`, () => {
  let s: TestServer;
  let websiteToken: string;

  beforeAll(async () => {
    s = await startTestServer();
    const inboxes = await s.req('GET', '/inboxes', { auth: s.admin });
    websiteToken = inboxes.body.data.find((i: { id: string }) => i.id === s.inboxId).websiteToken;
  });
  afterAll(async () => {
    await s?.close();
  });

  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${s.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://shop.example' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as any };
  };

  it('serves public settings with defaults and never the identity secret', async () => {
    const res = await fetch(`${s.url}/widget-api/v1/config?websiteToken=${websiteToken}`, {
      headers: { origin: 'https://shop.example' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const config = (await res.json()) as Record<string, unknown>;
    expect(config).toMatchObject({ title: 'Test web inbox', position: 'right', identityRequired: false, agentsOnline: 0 });
    const admin = await s.req('GET', `/inboxes/${s.inboxId}/widget`, { auth: s.admin });
    expect(JSON.stringify(config)).not.toContain(admin.body.identitySecret);
    expect((await fetch(`${s.url}/widget-api/v1/config?websiteToken=wt_nope`)).status).toBe(401);
    expect((await fetch(`${s.url}/widget-api/v1/config`)).status).toBe(400);
  });

  it('verifies a signed, expiring identity token (JWT) as an alternative to the HMAC hash', async () => {
    const admin = await s.req('GET', `/inboxes/${s.inboxId}/widget`, { auth: s.admin });
    const key = new TextEncoder().encode(admin.body.identitySecret as string);
    const jwt = (claims: Record<string, unknown>, opts: { exp?: string | number | null; key?: Uint8Array } = {}) => {
      const t = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('user-42');
      if (opts.exp !== null) t.setExpirationTime(opts.exp ?? '10m');
      return t.sign(opts.key ?? key);
    };
    const visitor = (user: Record<string, unknown>) => post('/widget-api/v1/visitors', { websiteToken, user });

    const ok = await visitor({ token: await jwt({ email: 'jwt-user@example.com', name: 'Jo' }) });
    expect(ok.status).toBe(201);
    expect(ok.body.verified).toBe(true);
    const contact = await s.req('GET', `/contacts/${ok.body.contactId}`, { auth: s.admin });
    expect(contact.body).toMatchObject({ externalId: 'user-42', email: 'jwt-user@example.com', name: 'Jo' });
    // The same user again (a fresh token): the same contact, so the same history.
    const again = await visitor({ token: await jwt({}) });
    expect(again.body).toMatchObject({ verified: true, contactId: ok.body.contactId });

    // Expired, without an expiry, or signed with another key: not an identity, and a contact of its own.
    for (const token of [
      await jwt({}, { exp: Math.floor(Date.now() / 1000) - 3600 }),
      await jwt({}, { exp: null }),
      await jwt({}, { key: new TextEncoder().encode('not-the-inbox-secret-at-all-000000') }),
      'not.a.jwt',
    ]) {
      const forged = await visitor({ token, id: 'user-42' });
      expect(forged.status).toBe(201);
      expect(forged.body.verified).toBe(false);
      expect(forged.body.contactId).not.toBe(ok.body.contactId);
    }
  });

  it('validates settings changes, stores nothing on a bad one, and keeps the secret from agents', async () => {
    const bad = await s.req('PATCH', `/inboxes/${s.inboxId}/widget`, {
      auth: s.admin,
      body: { color: 'red', position: 'middle', preChatForm: { enabled: true, questions: [{ id: 'Bad Id', label: 'x' }] } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'color',
      'position',
      'preChatForm.questions.0.id',
    ]);
    const after = await s.req('GET', `/inboxes/${s.inboxId}/widget`, { auth: s.admin });
    expect(after.body.settings).toEqual({ bot: { enabled: false } });
    const ok = await s.req('PATCH', `/inboxes/${s.inboxId}/widget`, {
      auth: s.admin,
      body: { color: '#112233', greeting: 'Hello' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.settings).toEqual({ bot: { enabled: false }, color: '#112233', greeting: 'Hello' });

    const user = await s.req('POST', '/users', {
      auth: s.admin,
      body: { email: 'w-agent@t.dev', name: 'W Agent', role: 'agent', password: 'agent-user-pass' },
    });
    expect(user.status).toBe(201);
    const agent = await s.login('w-agent@t.dev', 'agent-user-pass');
    expect((await s.req('GET', `/inboxes/${s.inboxId}/widget`, { auth: agent })).status).toBe(403);
  });

  it('refuses bad visitor, profile and rating input with clear 4xx', async () => {
    expect((await post('/widget-api/v1/visitors', '{nope')).status).toBe(400);
    const badUser = await post('/widget-api/v1/visitors', { websiteToken, user: { email: 'not-an-email', admin: true } });
    expect(badUser.status).toBe(400);
    expect((await post('/widget-api/v1/visitors', { websiteToken: 'wt_unknown' })).status).toBe(401);
    expect((await post('/widget-api/v1/profile', { websiteToken, visitorToken: 'vt_forged', name: 'x' })).status).toBe(401);
    const v = await newVisitor(s.url, websiteToken);
    const attrs = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, 'v']));
    expect((await post('/widget-api/v1/profile', { websiteToken, visitorToken: v.visitorToken, attributes: attrs })).status).toBe(
      400,
    );
    expect(
      (
        await post('/widget-api/v1/csat', {
          websiteToken,
          visitorToken: v.visitorToken,
          conversationId: crypto.randomUUID(),
          rating: 6,
        })
      ).status,
    ).toBe(400);
  });

  it('stores a rating only for the visitor’s own resolved conversation', async () => {
    const v = await newVisitor(s.url, websiteToken);
    const socket = visitorSocket(s.url, websiteToken, v.visitorToken);
    try {
      await connected(socket);
      const started = await call(socket, 'conversation:start', { clientId: 'c-1', body: 'Help please' });
      const rate = (visitorToken: string, rating = 5) =>
        post('/widget-api/v1/csat', { websiteToken, visitorToken, conversationId: started.conversationId, rating });
      expect((await rate(v.visitorToken)).status).toBe(409); // still open
      const statuses = await s.req('GET', '/statuses', { auth: s.admin });
      const resolved = statuses.body.data.find((x: { category: string }) => x.category === 'resolved').id;
      await s.req('PATCH', `/conversations/${started.conversationId}`, { auth: s.admin, body: { statusId: resolved } });
      const other = await newVisitor(s.url, websiteToken);
      expect((await rate(other.visitorToken)).status).toBe(404);
      const ok = await rate(v.visitorToken, 2);
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ rating: 2, comment: null });
      const row = await s.deps.db
        .selectFrom('conversations')
        .select('csat_rating')
        .where('id', '=', started.conversationId)
        .executeTakeFirstOrThrow();
      expect(row.csat_rating).toBe(2);
      // Agents see it on the conversation, and it is an event (webhooks, reports).
      const conv = await s.req('GET', `/conversations/${started.conversationId}`, { auth: s.admin });
      expect(conv.body.csat).toMatchObject({ rating: 2, comment: null });
      const events = await s.deps.db.selectFrom('outbox').select('payload').where('type', '=', 'conversation.rated').execute();
      expect(events.map((e) => (e.payload as { rating: number }).rating)).toEqual([2]);
    } finally {
      socket.disconnect();
    }
  });
});
