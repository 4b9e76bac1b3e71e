import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink } from './helpers/smtp-sink';
import { call, connected, newVisitor, type TestSocket, visitorSocket } from './helpers/sockets';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// An agent starts a conversation: by email (mailed like any reply) or in a chat inbox (the widget lists it).
describe(`agent-started conversations (${BACKEND})`, () => {
  let s: TestServer;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let dataDir: string;
  let emailInbox: string;
  let websiteToken: string;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'autocrm-start-'));
    sink = await startSmtpSink();
    s = await startTestServer({ env: { DATA_DIR: dataDir, SMTP_URL: sink.url, SMTP_INBOUND_PORT: '0' } });
    emailInbox = (
      await s.req('POST', '/inboxes', {
        auth: s.admin,
        body: { name: 'sales@acme.test', channel: 'email', members: [s.admin.userId] },
      })
    ).body.id;
    websiteToken = (await s.req('GET', '/inboxes', { auth: s.admin })).body.data.find(
      (i: { id: string }) => i.id === s.inboxId,
    ).websiteToken;
  }, 180_000);
  afterAll(async () => {
    for (const so of sockets) so.disconnect();
    await s?.close();
    await sink?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('mails the first message to a new contact from an email inbox, assigned to the agent who wrote it', async () => {
    const res = await s.req('POST', '/conversations/start', {
      auth: s.admin,
      body: {
        inboxId: emailInbox,
        contact: { email: 'new.customer@example.com', name: 'New Customer' },
        subject: 'Your trial',
        body: '<p>Hi! How is your trial going?</p>',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.assigneeId).toBe(s.admin.userId);
    expect(res.body.channel).toBe('email');
    const msgs = await s.req('GET', `/conversations/${res.body.id}/messages`, { auth: s.admin });
    expect(msgs.body.data.map((m: { authorKind: string; bodyText: string }) => [m.authorKind, m.bodyText])).toEqual([
      ['agent', 'Hi! How is your trial going?'],
    ]);
    const mail = await waitFor(() => sink.mails.find((m) => m.envelope.to.includes('new.customer@example.com')));
    expect(mail?.parsed.text).toContain('How is your trial going?');
    expect(mail?.parsed.subject).toContain('Your trial');
    const contact = await s.req('GET', `/contacts/${res.body.contactId}`, { auth: s.admin });
    expect(contact.body).toMatchObject({ email: 'new.customer@example.com', name: 'New Customer' });
  });

  it('puts a chat-inbox conversation in the known contact’s widget list, and refuses what cannot reach anyone', async () => {
    const v = await newVisitor(s.url, websiteToken);
    const res = await s.req('POST', '/conversations/start', {
      auth: s.admin,
      body: { inboxId: s.inboxId, contactId: v.contactId, body: '<p>Your order shipped today.</p>' },
    });
    expect(res.status).toBe(201);
    expect(res.body.owner).toBe('human');

    // Their next visit: the widget lists it and the agent's message is in it.
    const vs = visitorSocket(s.url, websiteToken, v.visitorToken);
    sockets.push(vs);
    await connected(vs);
    const list = await call(vs, 'conversation:list', {});
    expect(list.conversations.map((c: { id: string }) => c.id)).toEqual([res.body.id]);
    const joined = await call(vs, 'room:join', { conversationId: res.body.id, lastSeq: 0 });
    expect(joined.events.map((e: { message: { bodyText: string } }) => e.message.bodyText)).toEqual([
      'Your order shipped today.',
    ]);

    const stranger = await s.req('POST', '/contacts', { auth: s.admin, body: { name: 'No widget, no email' } });
    const chat = await s.req('POST', '/conversations/start', {
      auth: s.admin,
      body: { inboxId: s.inboxId, contactId: stranger.body.id, body: 'hello' },
    });
    expect(chat.status).toBe(400);
    expect(chat.body.error.issues[0].path).toBe('contactId');
    const mail = await s.req('POST', '/conversations/start', {
      auth: s.admin,
      body: { inboxId: emailInbox, contactId: stranger.body.id, body: 'hello' },
    });
    expect(mail.status).toBe(400);

    // An agent cannot start one in an inbox they cannot see.
    await s.req('POST', '/users', {
      auth: s.admin,
      body: { email: 'start.agent@test.autocrm.dev', name: 'S', role: 'agent', password: 'agent-password-1' },
    });
    const agent = await s.login('start.agent@test.autocrm.dev', 'agent-password-1');
    const hidden = await s.req('POST', '/conversations/start', {
      auth: agent,
      body: { inboxId: emailInbox, contact: { email: 'x@example.com' }, body: 'hello' },
    });
    expect(hidden.status).toBe(404);
    expect(sink.mails.some((m) => m.envelope.to.includes('x@example.com'))).toBe(false);
  });
});
