import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setCustomerNotificationPrefs } from '../server/src/domain/notifications/customer-prefs';
import { ManualClock } from '../server/src/domain/routing/clock';
import { startPushService } from './helpers/push-service';
import { startSmtpSink } from './helpers/smtp-sink';
import { call, collect, connected, newVisitor, type TestSocket, visitorSocket } from './helpers/sockets';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Proactive notices to customers, on real parts (loopback SMTP, a Web Push service stand-in): an
// announcement mailed to its segment once each, honouring the unsubscribe; and "we're back online" when a
// team's business hours open (the workers' clock moved by hand) for customers who wrote while it was
// closed: a message in the room for those there, and a push and a threaded mail for those who left.

const INBOX = 'hello@acme.test';
const today = new Date().toISOString().slice(0, 10);
const tomorrow = (hhmm: string) => new Date(`${new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)}T${hhmm}:00Z`);

describe(`customer notices (${BACKEND})`, () => {
  let server: TestServer;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let push: Awaited<ReturnType<typeof startPushService>>;
  let websiteToken: string;
  const clock = new ManualClock(tomorrow('07:00'));
  const sockets: TestSocket[] = [];
  const until = async <T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000) =>
    (await waitFor(check, { timeoutMs })) as T;
  const mailsTo = (address: string) => sink.mails.filter((m) => m.envelope.to.includes(address));
  const header = (raw: Buffer, name: string) =>
    new RegExp(`^${name}: (.*)$`, 'mi').exec(
      raw
        .toString('utf8')
        .split(/\r?\n\r?\n/)[0]!
        .replace(/\r?\n[ \t]+/g, ' '),
    )?.[1];

  beforeAll(async () => {
    sink = await startSmtpSink();
    push = await startPushService();
    server = await startTestServer({
      clock,
      env: { SMTP_URL: sink.url, PUSH_CA_FILE: push.caFile, PUSH_SUBJECT: 'mailto:ops@acme.test' },
    });
    await server.req('POST', '/inboxes', {
      auth: server.admin,
      body: { name: INBOX, channel: 'email', members: [server.admin.userId] },
    });
    websiteToken = (await server.req('GET', '/inboxes', { auth: server.admin })).body.data.find(
      (i: { id: string }) => i.id === server.inboxId,
    ).websiteToken;
  }, 120_000);
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await server?.close();
    await sink?.close();
    await push?.close();
  });

  it('mails an announcement to its segment once each, with the one-click unsubscribe; not to the unsubscribed', async () => {
    const contact = async (name: string, email: string | null, plan: string) =>
      (
        await server.req('POST', '/contacts', {
          auth: server.admin,
          body: { name, ...(email ? { email } : {}), attributes: { plan } },
        })
      ).body.id as string;
    await contact('Pro One', 'pro1@cust.test', 'pro');
    const gone = await contact('Pro Gone', 'pro2@cust.test', 'pro');
    await contact('Pro Nomail', null, 'pro');
    await contact('Free One', 'free1@cust.test', 'free');
    await setCustomerNotificationPrefs(server.deps.db, { contactId: gone, unsubscribed: true });
    const created = await server.req('POST', '/announcements', {
      auth: server.admin,
      body: {
        title: 'New opening hours',
        body: 'From Monday we answer until 20:00.\n\nSee you soon.',
        segment: { attributes: { plan: 'pro' } },
        sendEmail: true,
      },
    });
    expect(created.status).toBe(201);
    const mail = await until(() => mailsTo('pro1@cust.test')[0]);
    expect(mail.parsed.subject).toBe('New opening hours');
    expect(mail.parsed.text).toContain('From Monday we answer until 20:00.');
    expect(mail.parsed.text).toContain('/portal');
    expect(header(mail.raw, 'List-Unsubscribe')).toMatch(/\/api\/v1\/notifications\/unsubscribe\/u[0-9a-f]+>$/);
    expect(header(mail.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const skipped = await until(() =>
      server.deps.db
        .selectFrom('email_messages')
        .select(['status', 'status_reason'])
        .where('contact_id', '=', gone)
        .where('status', '=', 'skipped')
        .executeTakeFirst(),
    );
    expect(skipped.status_reason).toBe('the customer turned these emails off');
    // Later rounds send nothing again; the other segment and the address-less contact get nothing.
    await new Promise((r) => setTimeout(r, 3000));
    expect(mailsTo('pro1@cust.test')).toHaveLength(1);
    expect(mailsTo('pro2@cust.test').concat(mailsTo('free1@cust.test'))).toHaveLength(0);
    const listed = (await server.req('GET', '/announcements', { auth: server.admin })).body.data.find(
      (a: { id: string }) => a.id === created.body.id,
    );
    expect(listed.emailed).toBe(2);
  });

  it('says "we are back online" when the team opens, to those who wrote while it was closed', async () => {
    // Closed all of today (a holiday), open 09:00–17:00 UTC on other days.
    const hours = [{ start: '09:00', end: '17:00' }];
    const team = await server.req('POST', '/teams', {
      auth: server.admin,
      body: {
        name: 'Day shift',
        timeZone: 'UTC',
        businessHours: { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: hours, sun: hours },
        holidays: [{ date: today, name: 'Closed today' }],
      },
    });
    expect(team.status).toBe(201);
    const chat = async (body: string, email?: string) => {
      const v = await newVisitor(server.url, websiteToken);
      const socket = visitorSocket(server.url, websiteToken, v.visitorToken);
      sockets.push(socket);
      await connected(socket);
      const started = await call(socket, 'conversation:start', { clientId: `c-${Math.random()}`, body, subject: body });
      if (email) {
        await fetch(`${server.url}/widget-api/v1/profile`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ websiteToken, visitorToken: v.visitorToken, email }),
        });
      }
      const conversationId = started.conversationId as string;
      expect(
        (await server.req('PATCH', `/conversations/${conversationId}`, { auth: server.admin, body: { teamId: team.body.id } }))
          .status,
      ).toBe(200);
      return { ...v, socket, conversationId };
    };
    const here = await chat('Is anyone there tonight?');
    const live = collect(here.socket, 'message');
    const left = await chat('Please call me back', 'quinn@cust.test');
    const sub = push.subscription();
    expect(
      (
        await fetch(`${server.url}/widget-api/v1/push/subscribe`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ websiteToken, visitorToken: left.visitorToken, subscription: sub.json }),
        })
      ).status,
    ).toBe(200);
    left.socket.disconnect();
    // Answered already: nothing to announce.
    const answered = await chat('Quick one');
    await server.req('POST', `/conversations/${answered.conversationId}/messages`, {
      auth: server.admin,
      body: { body: 'Done!' },
    });
    await server.settle();

    const notices = (conversationId: string) =>
      server.deps.db
        .selectFrom('messages')
        .select(['body_text', 'author_kind'])
        .where('conversation_id', '=', conversationId)
        .where('client_id', 'like', 'back-online:%')
        .execute();
    // Still closed (before 09:00): nothing.
    await new Promise((r) => setTimeout(r, 2500));
    expect(await notices(here.conversationId)).toEqual([]);

    clock.set(tomorrow('09:05'));
    const said = await until(async () => {
      const n = await notices(here.conversationId);
      return n.length ? n : undefined;
    });
    expect(said).toEqual([
      { author_kind: 'system', body_text: 'We’re back online. Someone from our team will answer you here shortly.' },
    ]);
    // Live in the room for the one who is there.
    await until(() => live.find((e) => e.message.authorKind === 'system' && e.message.bodyText.startsWith('We’re back online')));
    // A push and a mail in the conversation's thread for the one who left.
    const got = await until(() => push.received.find((r) => r.path === sub.path));
    expect(sub.decrypt(got.body)).toMatchObject({ title: 'We’re back online' });
    const mail = await until(() => mailsTo('quinn@cust.test')[0]);
    expect(mail.parsed.subject).toBe('Re: Please call me back');
    expect(mail.parsed.text).toContain('We’re back online.');
    expect(header(mail.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    // Once: later rounds say nothing more, and the answered conversation heard nothing.
    await new Promise((r) => setTimeout(r, 2500));
    expect(await notices(here.conversationId)).toHaveLength(1);
    expect(await notices(left.conversationId)).toHaveLength(1);
    expect(await notices(answered.conversationId)).toEqual([]);
    // The one still in the chat gets no mail (no address here anyway) and the one who left exactly one.
    expect(mailsTo('quinn@cust.test')).toHaveLength(1);
  });
});
