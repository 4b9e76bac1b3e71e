import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setCustomerNotificationPrefs } from '../server/src/domain/notifications/customer-prefs';
import { mailClient, startSmtpSink } from './helpers/smtp-sink';
import { call, connected, newVisitor, type TestSocket, visitorSocket } from './helpers/sockets';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Mails to customers who are not in the chat, on real parts (loopback SMTP both ways): an agent's reply
// only after the away delay, status changes (resolved, waiting on you) threaded with it so that answering
// by mail lands in the room, and none when the customer is connected, turned them off, or the
// conversation moved on. The away delay is long here; the test makes a queued mail due by hand, as time
// passing would.

const INBOX = 'help@acme.test';

describe(`customer status mails (${BACKEND})`, () => {
  let server: TestServer;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let client: ReturnType<typeof mailClient>;
  let websiteToken: string;
  let statuses: { id: string; category: string }[];
  const sockets: TestSocket[] = [];
  const until = async <T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000) =>
    (await waitFor(check, { timeoutMs })) as T;

  beforeAll(async () => {
    sink = await startSmtpSink();
    server = await startTestServer({
      env: { SMTP_URL: sink.url, SMTP_INBOUND_PORT: '0', EMAIL_AWAY_DELAY_SECONDS: '600' },
    });
    await server.req('POST', '/inboxes', {
      auth: server.admin,
      body: { name: INBOX, channel: 'email', members: [server.admin.userId] },
    });
    websiteToken = (await server.req('GET', '/inboxes', { auth: server.admin })).body.data.find(
      (i: { id: string }) => i.id === server.inboxId,
    ).websiteToken;
    statuses = (await server.req('GET', '/statuses', { auth: server.admin })).body.data;
    client = mailClient(server.deps.channels!.get('email')!.ports.smtp!);
  }, 120_000);
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    client?.close();
    await server?.close();
    await sink?.close();
  });

  async function visitorChat(email: string, body: string) {
    const v = await newVisitor(server.url, websiteToken);
    const socket = visitorSocket(server.url, websiteToken, v.visitorToken);
    sockets.push(socket);
    await connected(socket);
    const started = await call(socket, 'conversation:start', { clientId: `c-${Math.random()}`, body, subject: body });
    const r = await fetch(`${server.url}/widget-api/v1/profile`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ websiteToken, visitorToken: v.visitorToken, email }),
    });
    expect(r.status).toBe(200);
    return { ...v, socket, conversationId: started.conversationId as string };
  }
  const setStatus = async (conversationId: string, category: string) =>
    expect(
      (
        await server.req('PATCH', `/conversations/${conversationId}`, {
          auth: server.admin,
          body: { statusId: statuses.find((s) => s.category === category)!.id },
        })
      ).status,
    ).toBe(200);
  const outgoing = (conversationId: string) =>
    server.deps.db
      .selectFrom('email_messages')
      .select(['id', 'kind', 'status', 'status_reason', 'notice_status', 'next_attempt_at'])
      .where('conversation_id', '=', conversationId)
      .where('direction', '=', 'out')
      .orderBy('created_at')
      .execute();
  /** The away delay passes for this conversation's queued mails. */
  const makeDue = async (conversationId: string) => {
    await server.settle();
    await server.deps.db
      .updateTable('email_messages')
      .set({ next_attempt_at: new Date() })
      .where('conversation_id', '=', conversationId)
      .where('status', '=', 'queued')
      .execute();
  };
  const mailsTo = (address: string) => sink.mails.filter((m) => m.envelope.to.includes(address));
  const header = (raw: Buffer, name: string) =>
    new RegExp(`^${name}: (.*)$`, 'mi').exec(
      raw
        .toString('utf8')
        .split(/\r?\n\r?\n/)[0]!
        .replace(/\r?\n[ \t]+/g, ' '),
    )?.[1];

  it('mails a reply only after the away delay, then "waiting on you" in the same thread; answering it lands in the room', async () => {
    const chat = await visitorChat('vera@cust.test', 'My parcel never came');
    chat.socket.disconnect();
    await server.req('POST', `/conversations/${chat.conversationId}/messages`, {
      auth: server.admin,
      body: { body: 'Could you send us the order number?' },
    });
    await setStatus(chat.conversationId, 'pending');
    await server.settle();
    // Queued, not sent: the customer has the delay to come back and read it in the chat.
    expect((await outgoing(chat.conversationId)).map((r) => [r.kind, r.status, r.notice_status])).toEqual([
      ['reply', 'queued', null],
      ['status', 'queued', 'pending'],
    ]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(mailsTo('vera@cust.test')).toHaveLength(0);

    await makeDue(chat.conversationId);
    const [reply, status] = await until(() => {
      const m = mailsTo('vera@cust.test');
      return m.length === 2 ? m : undefined;
    });
    const byText = [reply!, status!].sort((a) => (a.parsed.text?.includes('order number') ? -1 : 1));
    const [replyMail, statusMail] = byText as [(typeof sink.mails)[number], (typeof sink.mails)[number]];
    expect(replyMail.parsed.text).toContain('Could you send us the order number?');
    expect(statusMail.parsed.subject).toBe('Re: My parcel never came');
    expect(statusMail.parsed.text).toContain('We are waiting on you');
    expect(statusMail.parsed.text).toContain(`/portal/tickets/${chat.conversationId}`);
    // In the reply's thread, with the one-click unsubscribe of every notice.
    expect(statusMail.parsed.inReplyTo).toBe(replyMail.parsed.messageId);
    expect(header(statusMail.raw, 'List-Unsubscribe')).toMatch(/\/api\/v1\/notifications\/unsubscribe\/u[0-9a-f]+>$/);
    expect(header(statusMail.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');

    // The customer answers the status mail: it lands in the room (the agent's answer is due).
    await client.send({
      from: 'vera@cust.test',
      to: INBOX,
      subject: statusMail.parsed.subject!,
      inReplyTo: statusMail.parsed.messageId!,
      references: [statusMail.parsed.messageId!],
      text: 'Order 4711, thanks.',
      messageId: `<answer-${Date.now()}@cust.test>`,
    });
    const msgs = await until(async () => {
      const m = (await server.req('GET', `/conversations/${chat.conversationId}/messages?limit=50`, { auth: server.admin })).body
        .data as { bodyText: string; authorKind: string }[];
      return m.some((x) => x.bodyText === 'Order 4711, thanks.') ? m : undefined;
    });
    expect(msgs.at(-1)).toMatchObject({ authorKind: 'contact', bodyText: 'Order 4711, thanks.' });
  });

  it('mails "resolved" to a customer who left, and not to one still in the chat', async () => {
    const away = await visitorChat('wim@cust.test', 'Change my plan');
    away.socket.disconnect();
    await setStatus(away.conversationId, 'resolved');
    await makeDue(away.conversationId);
    const mail = await until(() => mailsTo('wim@cust.test')[0]);
    expect(mail.parsed.text).toContain('Your conversation “Change my plan” was resolved.');

    const here = await visitorChat('xia@cust.test', 'Where do I log in?');
    await setStatus(here.conversationId, 'resolved');
    await makeDue(here.conversationId);
    const row = await until(async () => (await outgoing(here.conversationId)).find((r) => r.status === 'skipped'));
    expect(row).toMatchObject({ kind: 'status', status_reason: 'seen in the chat' });
    expect(mailsTo('xia@cust.test')).toHaveLength(0);
  });

  it('honours the preference, and skips a change that was undone or followed by another', async () => {
    const off = await visitorChat('yan@cust.test', 'Refund please');
    off.socket.disconnect();
    await setCustomerNotificationPrefs(server.deps.db, { contactId: off.contactId, emailStatus: false });
    await setStatus(off.conversationId, 'pending');
    await makeDue(off.conversationId);
    expect(await until(async () => (await outgoing(off.conversationId)).find((r) => r.status === 'skipped'))).toMatchObject({
      status_reason: 'the customer turned these emails off',
    });

    const moved = await visitorChat('zoe@cust.test', 'Password reset');
    moved.socket.disconnect();
    await setStatus(moved.conversationId, 'pending');
    await setStatus(moved.conversationId, 'resolved');
    await setStatus(moved.conversationId, 'open');
    await makeDue(moved.conversationId);
    const rows = await until(async () => {
      const r = await outgoing(moved.conversationId);
      return r.length === 2 && r.every((x) => x.status === 'skipped') ? r : undefined;
    });
    expect(rows.map((r) => [r.notice_status, r.status_reason])).toEqual([
      ['pending', 'a later status change'],
      ['resolved', 'the conversation moved on'],
    ]);
    expect(mailsTo('yan@cust.test').concat(mailsTo('zoe@cust.test'))).toHaveLength(0);
  });
});
