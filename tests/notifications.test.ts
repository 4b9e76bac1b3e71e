import { importJWK, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCustomerNotificationPrefs, setCustomerNotificationPrefs } from '../server/src/domain/notifications/customer-prefs';
import { startPushService } from './helpers/push-service';
import { startSmtpSink } from './helpers/smtp-sink';
import { agentSocket, call, collect, connected, newVisitor, type TestSocket, visitorSocket } from './helpers/sockets';
import { startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Notifications that reach people where they are, on real parts: a Web Push service stand-in on loopback
// (HTTPS, RFC 8030 POSTs, payloads decrypted here with the subscription's private key), real sockets,
// a loopback SMTP server for the customers' away mails and their one-click unsubscribe.

let server: TestServer;
let push: Awaited<ReturnType<typeof startPushService>>;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let websiteToken: string;
const sockets: TestSocket[] = [];

const until = async <T>(check: () => Promise<T | undefined> | T | undefined, o?: { timeoutMs?: number }) =>
  (await waitFor(check, o)) as T;

beforeAll(async () => {
  push = await startPushService();
  sink = await startSmtpSink();
  server = await startTestServer({
    env: {
      PUSH_CA_FILE: push.caFile,
      SMTP_URL: sink.url,
      EMAIL_AWAY_DELAY_SECONDS: '1',
      PUSH_SUBJECT: 'mailto:ops@acme.test',
      AGENT_NOTIFY_EMAIL_DELAY_SECONDS: '1',
    },
  });
  // An email inbox: the away mails to widget customers go out from its address.
  await server.req('POST', '/inboxes', {
    auth: server.admin,
    body: { name: 'help@acme.test', channel: 'email', members: [server.admin.userId] },
  });
  const inboxes = await server.req('GET', '/inboxes', { auth: server.admin });
  websiteToken = inboxes.body.data.find((i: { id: string }) => i.id === server.inboxId).websiteToken;
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await server?.close();
  await push?.close();
  await sink?.close();
});

async function visitorChat(body: string, opts: { email?: string } = {}) {
  const v = await newVisitor(server.url, websiteToken);
  const socket = visitorSocket(server.url, websiteToken, v.visitorToken);
  sockets.push(socket);
  await connected(socket);
  const started = await call(socket, 'conversation:start', { clientId: `c-${Math.random()}`, body });
  if (!started.ok) throw new Error(started.error.message);
  if (opts.email) {
    const r = await fetch(`${server.url}/widget-api/v1/profile`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ websiteToken, visitorToken: v.visitorToken, email: opts.email }),
    });
    expect(r.status).toBe(200);
  }
  return { ...v, socket, conversationId: started.conversationId as string };
}

const assignTo = async (conversationId: string, userId: string) =>
  expect(
    (await server.req('PATCH', `/conversations/${conversationId}`, { auth: server.admin, body: { assigneeId: userId } })).status,
  ).toBe(200);

async function newAgent(email: string) {
  const created = await server.req('POST', '/users', {
    auth: server.admin,
    body: { email, name: email.split('@')[0], role: 'agent', password: 'agent-password-123' },
  });
  expect(created.status).toBe(201);
  const inbox = (await server.req('GET', '/inboxes', { auth: server.admin })).body.data.find(
    (i: { id: string }) => i.id === server.inboxId,
  );
  const patched = await server.req('PATCH', `/inboxes/${server.inboxId}`, {
    auth: server.admin,
    body: { members: [...inbox.members, created.body.id] },
  });
  expect(patched.status).toBe(200);
  const session = await server.login(email, 'agent-password-123');
  return { id: created.body.id as string, session };
}

const notificationsOf = async (session: import('./helpers/test-server').Session) =>
  (await server.req('GET', '/notifications', { auth: session })).body as {
    items: { id: string; kind: string; conversationId: string; title: string; readAt: string | null }[];
    unread: number;
  };

describe('agent notifications', () => {
  it('assignment with no tab open: stored in the centre and pushed, encrypted, with a VAPID signature', async () => {
    const anna = await newAgent('anna@acme.test');
    const sub = push.subscription();
    expect((await server.req('POST', '/me/push-subscriptions', { auth: anna.session, body: sub.json })).status).toBe(200);
    const key = (await server.req('GET', '/push/public-key', { auth: anna.session })).body.publicKey as string;
    const chat = await visitorChat('My parcel never arrived');
    await assignTo(chat.conversationId, anna.id);

    const got = await until(() => push.received.find((r) => r.path === sub.path));
    expect(got.headers['content-encoding']).toBe('aes128gcm');
    expect(Number(got.headers.ttl)).toBeGreaterThan(0);
    const message = sub.decrypt(got.body);
    expect(message.title).toMatch(/^#\d+ was assigned to you$/);
    expect(message.url).toContain(`/inbox/${chat.conversationId}`);
    // RFC 8292: vapid t=<JWT signed with our key>, k=<the public key the browser subscribed with>.
    const m = /^vapid t=([^,]+), k=(.+)$/.exec(String(got.headers.authorization));
    expect(m?.[2]).toBe(key);
    const raw = Buffer.from(key, 'base64url');
    const jwk = await importJWK(
      { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33).toString('base64url') },
      'ES256',
    );
    const { payload } = await jwtVerify(m![1]!, jwk);
    expect(payload.aud).toBe(push.origin);
    expect(payload.sub).toBe('mailto:ops@acme.test');

    const list = await notificationsOf(anna.session);
    expect(list.items.map((i) => [i.kind, i.conversationId])).toContainEqual(['assigned', chat.conversationId]);
    expect(list.unread).toBe(1);
  });

  it('customer reply while the tab is open: live with the unread count, no push; mark read reaches every tab', async () => {
    const ben = await newAgent('ben@acme.test');
    const sub = push.subscription();
    await server.req('POST', '/me/push-subscriptions', { auth: ben.session, body: sub.json });
    const tab = agentSocket(server.url, ben.session);
    sockets.push(tab);
    await connected(tab);
    const live = collect(tab, 'notification');
    const reads = collect(tab, 'notifications:read');
    const chat = await visitorChat('Hello, anyone?');
    await assignTo(chat.conversationId, ben.id);
    const sent = await call(chat.socket, 'message:send', {
      conversationId: chat.conversationId,
      clientId: `m-${Math.random()}`,
      body: 'Still waiting for my refund',
    });
    expect(sent.ok).toBe(true);
    const replied = await until(() => live.find((n) => n.kind === 'customer.replied'));
    expect(replied).toMatchObject({ conversationId: chat.conversationId, desktop: true, sound: true });
    expect(replied.id).toBeTruthy();
    expect(replied.body).toBe('Still waiting for my refund');
    expect(replied.unread).toBe(2);
    await server.settle();
    expect(push.received.filter((r) => r.path === sub.path)).toHaveLength(0);

    const marked = await server.req('POST', '/notifications/read', { auth: ben.session, body: { ids: [replied.id] } });
    expect(marked.body).toEqual({ unread: 1 });
    await waitFor(() => reads.length === 1);
    expect(reads[0]).toEqual({ unread: 1, ids: [replied.id] });
    expect((await server.req('POST', '/notifications/read', { auth: ben.session, body: { all: true } })).body).toEqual({
      unread: 0,
    });
    expect((await server.req('GET', '/notifications/unread-count', { auth: ben.session })).body).toEqual({ unread: 0 });
    // Someone else's notification cannot be marked.
    expect((await server.req('POST', '/notifications/read', { auth: server.admin, body: {} })).status).toBe(400);
  });

  it('respects preferences: a kind turned off on every path is neither stored nor sent', async () => {
    const cleo = await newAgent('cleo@acme.test');
    const prefs = await server.req('PUT', '/me/notification-preferences', {
      auth: cleo.session,
      body: { kinds: { 'customer.replied': { inApp: false, desktop: false, push: false, email: false } } },
    });
    expect(prefs.status).toBe(200);
    expect(prefs.body.kinds['customer.replied']).toEqual({ inApp: false, desktop: false, push: false, email: false });
    expect(prefs.body.kinds.assigned.inApp).toBe(true);
    const tab = agentSocket(server.url, cleo.session);
    sockets.push(tab);
    await connected(tab);
    const live = collect(tab, 'notification');
    const chat = await visitorChat('Question about pricing');
    await assignTo(chat.conversationId, cleo.id);
    await call(chat.socket, 'message:send', {
      conversationId: chat.conversationId,
      clientId: `m-${Math.random()}`,
      body: 'And discounts?',
    });
    await waitFor(() => live.some((n) => n.kind === 'assigned'));
    await server.settle();
    expect(live.filter((n) => n.kind === 'customer.replied')).toHaveLength(0);
    expect((await notificationsOf(cleo.session)).items.map((i) => i.kind)).toEqual(['assigned']);
  });

  it('removes a subscription its push service says is gone (410)', async () => {
    const dan = await newAgent('dan@acme.test');
    const sub = push.subscription();
    push.gone.add(sub.path);
    await server.req('POST', '/me/push-subscriptions', { auth: dan.session, body: sub.json });
    const count = () =>
      server.deps.db
        .selectFrom('push_subscriptions')
        .select('id')
        .where('user_id', '=', dan.id)
        .execute()
        .then((r) => r.length);
    expect(await count()).toBe(1);
    const chat = await visitorChat('Broken link');
    await assignTo(chat.conversationId, dan.id);
    await waitFor(async () => (await count()) === 0);
  });
});

describe('agent email when away', () => {
  it('mails unread notifications once to an agent with no tab open, never to one with a tab open', async () => {
    const fay = await newAgent('fay@acme.test');
    const first = await visitorChat('Password reset mail never came');
    await assignTo(first.conversationId, fay.id);
    const mail = await until(() => sink.mails.find((m) => m.envelope.to.includes('fay@acme.test')), { timeoutMs: 15_000 });
    expect(mail.parsed.subject).toMatch(/^#\d+ was assigned to you$/);
    expect(mail.parsed.text).toContain(`/inbox/${first.conversationId}`);
    const second = await visitorChat('And my invoice');
    await assignTo(second.conversationId, fay.id);
    const next = await until(() => sink.mails.filter((m) => m.envelope.to.includes('fay@acme.test'))[1], { timeoutMs: 15_000 });
    expect(next.parsed.text).toContain(`/inbox/${second.conversationId}`);
    expect(next.parsed.text).not.toContain(`/inbox/${first.conversationId}`);
    // Cleo's tab is still open (an unread assignment waits in her bell): no mail.
    expect(sink.mails.some((m) => m.envelope.to.includes('cleo@acme.test'))).toBe(false);
  });
});

describe('customer notifications', () => {
  it('pushes an agent reply to a customer who opted in from the widget and left; not when they turned push off', async () => {
    const chat = await visitorChat('Can I change my delivery address?');
    const sub = push.subscription();
    const key = (await (await fetch(`${server.url}/widget-api/v1/push/key`)).json()) as { publicKey: string };
    expect(key.publicKey).toBe((await server.req('GET', '/push/public-key', { auth: server.admin })).body.publicKey);
    const opted = await fetch(`${server.url}/widget-api/v1/push/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ websiteToken, visitorToken: chat.visitorToken, subscription: sub.json }),
    });
    expect(opted.status).toBe(200);
    chat.socket.disconnect();
    await server.req('POST', `/conversations/${chat.conversationId}/messages`, {
      auth: server.admin,
      body: { body: 'Yes, reply with the new one.' },
    });
    const got = await until(() => push.received.find((r) => r.path === sub.path));
    expect(sub.decrypt(got.body)).toMatchObject({ title: 'New reply from support', body: 'Yes, reply with the new one.' });

    await setCustomerNotificationPrefs(server.deps.db, { contactId: chat.contactId, push: false });
    await server.req('POST', `/conversations/${chat.conversationId}/messages`, {
      auth: server.admin,
      body: { body: 'Anything else?' },
    });
    await server.settle();
    expect(push.received.filter((r) => r.path === sub.path)).toHaveLength(1);
  });

  it('mails a customer who left, with a one-click unsubscribe that works by page and by RFC 8058 POST', async () => {
    const chat = await visitorChat('Where is my invoice?', { email: 'ulla@cust.test' });
    chat.socket.disconnect();
    await server.req('POST', `/conversations/${chat.conversationId}/messages`, {
      auth: server.admin,
      body: { body: 'Sent it again just now.' },
    });
    const mail = await until(() => sink.mails.find((m) => m.envelope.to.includes('ulla@cust.test')), { timeoutMs: 15_000 });
    expect(mail.parsed.text).toContain('Sent it again just now.');
    // Headers as sent (unfolded): RFC 2369's link and RFC 8058's one-click marker.
    const head = mail.raw
      .toString('utf8')
      .split(/\r?\n\r?\n/)[0]!
      .replace(/\r?\n[ \t]+/g, ' ');
    expect(head).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    const link = /^List-Unsubscribe: <([^>]+)>$/m.exec(head)?.[1] as string;
    expect(link).toMatch(/\/api\/v1\/notifications\/unsubscribe\/u[0-9a-f]+$/);
    expect(mail.parsed.text).toContain(link);

    // The page asks (a GET never unsubscribes: mail scanners follow links).
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-unsubscribe="ask"');
    expect((await getCustomerNotificationPrefs(server.deps.db, { contactId: chat.contactId })).unsubscribedAt).toBeNull();
    // RFC 8058: the mail client's one-click POST.
    const oneClick = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect((await getCustomerNotificationPrefs(server.deps.db, { contactId: chat.contactId })).unsubscribedAt).not.toBeNull();
    expect(await (await fetch(link)).text()).toContain('data-unsubscribe="done"');

    // The next reply is not mailed.
    const before = sink.mails.length;
    const msg = await server.req('POST', `/conversations/${chat.conversationId}/messages`, {
      auth: server.admin,
      body: { body: 'One more thing.' },
    });
    const skipped = await until(
      async () => {
        const r = await server.deps.db
          .selectFrom('email_messages')
          .select(['status', 'status_reason'])
          .where('message_id', '=', msg.body.id)
          .executeTakeFirst();
        return r?.status === 'skipped' ? r : undefined;
      },
      { timeoutMs: 15_000 },
    );
    expect(skipped.status_reason).toBe('the customer turned these emails off');
    expect(sink.mails.length).toBe(before);

    // A forged token is refused; the page's "subscribe again" button works.
    expect((await fetch(link.replace(/.$/, (c) => (c === '0' ? '1' : '0')))).status).toBe(404);
    const again = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=subscribe',
    });
    expect(await again.text()).toContain('data-unsubscribe="again"');
    expect((await getCustomerNotificationPrefs(server.deps.db, { contactId: chat.contactId })).unsubscribedAt).toBeNull();
  });
});
