import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDkim } from './helpers/dkim-verify';
import { mailClient, startSmtpSink } from './helpers/smtp-sink';
import { agentSocket, call, collect, connected, newVisitor, type TestSocket, visitorSocket } from './helpers/sockets';
import { startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Email around the chat, over real SMTP on loopback: DKIM-signed replies checked against the DNS
// record we show, agents' signatures, delivery states pushed live, the widget's offline form,
// transcripts and the CSAT survey by mail with one-click ratings.

let server: TestServer;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let client: ReturnType<typeof mailClient>;
let inboxId: string;
let websiteToken: string;
let resolvedId: string;
let dataDir: string;
const sockets: TestSocket[] = [];
const INBOX = 'help@acme.test';

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'autocrm-email-chat-'));
  sink = await startSmtpSink();
  server = await startTestServer({
    env: { DATA_DIR: dataDir, SMTP_URL: sink.url, SMTP_INBOUND_PORT: '0', EMAIL_AWAY_DELAY_SECONDS: '1' },
  });
  const inbox = await server.req('POST', '/inboxes', {
    auth: server.admin,
    body: { name: INBOX, channel: 'email', members: [server.admin.userId] },
  });
  inboxId = inbox.body.id;
  client = mailClient(server.deps.channels!.get('email')!.ports.smtp!);
  const inboxes = await server.req('GET', '/inboxes', { auth: server.admin });
  websiteToken = inboxes.body.data.find((i: { id: string }) => i.id === server.inboxId).websiteToken;
  const statuses = (await server.req('GET', '/statuses', { auth: server.admin })).body.data as { id: string; category: string }[];
  resolvedId = statuses.find((x) => x.category === 'resolved')!.id;
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  client?.close();
  await server?.close();
  await sink?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const until = async <T>(check: () => Promise<T | undefined> | T | undefined, o?: { timeoutMs?: number }) =>
  (await waitFor(check, o)) as T;

let n = 0;
const mid = () => `<m${++n}.${Date.now()}@cust.test>`;

async function mailIn(from: string, subject: string, text: string) {
  await client.send({ from, to: INBOX, subject, text, messageId: mid() });
  return until(async () => {
    const res = await server.req('GET', `/conversations?inbox=${inboxId}&limit=100`, { auth: server.admin });
    return (res.body.data as { id: string; subject: string | null }[]).find((c) => c.subject === subject);
  });
}

async function reply(conversationId: string, body: string) {
  const res = await server.req('POST', `/conversations/${conversationId}/messages`, { auth: server.admin, body: { body } });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const resolve = async (conversationId: string) =>
  expect(
    (await server.req('PATCH', `/conversations/${conversationId}`, { auth: server.admin, body: { statusId: resolvedId } }))
      .status,
  ).toBe(200);

/** A widget visitor starts a chat, leaves their address in the offline form, and closes the tab. */
async function visitorWhoLeaves(email: string, body: string) {
  const v = await newVisitor(server.url, websiteToken);
  const socket = visitorSocket(server.url, websiteToken, v.visitorToken);
  sockets.push(socket);
  await connected(socket);
  const started = await call(socket, 'conversation:start', { clientId: `c-${Math.random()}`, body });
  expect(started.ok).toBe(true);
  // What the widget's "we are away, leave your email" form sends.
  const profile = await fetch(`${server.url}/widget-api/v1/profile`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ websiteToken, visitorToken: v.visitorToken, email }),
  });
  expect(profile.status).toBe(200);
  socket.disconnect();
  return { conversationId: started.conversationId as string, visitorToken: v.visitorToken };
}

describe('email around the chat', () => {
  it('signs replies with DKIM, uses the agent signature (the inbox one as fallback), and pushes each delivery state to the room', async () => {
    const patched = await server.req('PATCH', `/inboxes/${inboxId}/email`, {
      auth: server.admin,
      body: { dkim: { domain: 'acme.test', selector: 's2026' }, signature: 'The Acme help desk' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.dkim.dnsName).toBe('s2026._domainkey.acme.test');
    expect(patched.body.dkim.dnsValue).toMatch(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/=]{300,}$/);
    expect(JSON.stringify(patched.body)).not.toContain('PRIVATE KEY');
    const row = await server.deps.db.selectFrom('inboxes').select('settings').where('id', '=', inboxId).executeTakeFirstOrThrow();
    expect(JSON.stringify(row.settings)).not.toContain('PRIVATE KEY');

    const sig = await server.req('PUT', '/me/email-signature', { auth: server.admin, body: { signature: 'Alex\nSupport lead' } });
    expect(sig.body).toEqual({ signature: 'Alex\nSupport lead' });

    const conv = await mailIn('dora@cust.test', 'Signed reply please', 'Hello');
    const agent = agentSocket(server.url, server.admin);
    sockets.push(agent);
    await connected(agent);
    const statuses = collect(agent, 'email:status');
    expect((await call(agent, 'room:join', { conversationId: conv.id, lastSeq: 0 })).ok).toBe(true);

    const messageId = await reply(conv.id, 'Signed and sealed.');
    const mail = await until(() => sink.mails.find((m) => m.envelope.to.includes('dora@cust.test')));
    const check = verifyDkim(mail.raw, patched.body.dkim.dnsValue);
    expect(check).toEqual({ ok: true, domain: 'acme.test', selector: 's2026' });
    // The verifier fails a mail changed on the way.
    expect(
      verifyDkim(
        Buffer.from(mail.raw.toString('binary').replace('Signed and sealed.', 'Signed and changed'), 'binary'),
        patched.body.dkim.dnsValue,
      ).ok,
    ).toBe(false);
    expect(mail.parsed.text).toContain('-- \nAlex\nSupport lead');
    expect(mail.parsed.text).not.toContain('The Acme help desk');
    expect(mail.parsed.html).toContain('Alex<br>Support lead');

    const mine = await until(() => {
      const s = statuses.filter((e) => e.messageId === messageId).map((e) => e.status);
      return s.includes('sent') ? s : undefined;
    });
    expect(mine).toEqual(['sending', 'sent']);
    expect(statuses.every((e) => e.conversationId === conv.id)).toBe(true);

    // Without an own signature the inbox's is used.
    expect((await server.req('PUT', '/me/email-signature', { auth: server.admin, body: { signature: null } })).body).toEqual({
      signature: null,
    });
    await reply(conv.id, 'One more thing.');
    const second = await until(() => sink.mails.find((m) => m.parsed.text?.includes('One more thing.')));
    expect(second.parsed.text).toContain('-- \nThe Acme help desk');
    expect(verifyDkim(second.raw, patched.body.dkim.dnsValue).ok).toBe(true);
    await server.req('PATCH', `/inboxes/${inboxId}/email`, { auth: server.admin, body: { dkim: null, signature: null } });
  });

  it("uses the offline form's address: the reply reaches the visitor by mail and their answer threads back into the room", async () => {
    const { conversationId } = await visitorWhoLeaves('olga@cust.test', 'Anyone there? I need an invoice copy.');
    await reply(conversationId, 'Sure, attached to your account now.');
    const mail = await until(() => sink.mails.find((m) => m.envelope.to.includes('olga@cust.test')), { timeoutMs: 15_000 });
    expect(mail.parsed.from?.value[0]?.address).toBe(INBOX);
    expect(mail.parsed.text).toContain('Sure, attached to your account now.');
    expect(mail.parsed.text).toContain('> Anyone there? I need an invoice copy.');
    await client.send({
      from: 'olga@cust.test',
      to: mail.parsed.replyTo!.value[0]!.address!,
      subject: mail.parsed.subject!,
      inReplyTo: mail.parsed.messageId!,
      references: [mail.parsed.messageId!],
      text: 'Got it, thanks!\n\n> Sure, attached to your account now.',
      messageId: mid(),
    });
    const msgs = await until(async () => {
      const m = (await server.req('GET', `/conversations/${conversationId}/messages?limit=50`, { auth: server.admin })).body.data;
      return m.length === 3 ? (m as { authorKind: string; authorId: string; bodyText: string }[]) : undefined;
    });
    expect(msgs.map((m) => [m.authorKind, m.bodyText])).toEqual([
      ['contact', 'Anyone there? I need an invoice copy.'],
      ['agent', 'Sure, attached to your account now.'],
      ['contact', 'Got it, thanks!'],
    ]);
    // Answering our signed mail at the address they typed: the same visitor, not a new contact.
    expect(msgs[2]!.authorId).toBe(msgs[0]!.authorId);
  });

  it('mails a transcript on request from the widget and from the agent, and on resolve when the inbox says so', async () => {
    const { conversationId, visitorToken } = await visitorWhoLeaves('pia@cust.test', 'How do I reset my <b>password</b>?');
    await reply(conversationId, '<p>Use <strong>Forgot password</strong> on the login page.</p>');
    const requested = await fetch(`${server.url}/api/v1/email/transcript`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ websiteToken, visitorToken, conversationId }),
    });
    expect(await requested.json()).toEqual({ outcome: 'queued' });
    const t = await until(() =>
      sink.mails.find((m) => m.envelope.to.includes('pia@cust.test') && m.parsed.subject?.startsWith('Transcript')),
    );
    expect(t.parsed.text).toContain('How do I reset my <b>password</b>?');
    expect(t.parsed.text).toContain('Use Forgot password on the login page.');
    // The customer's text is escaped in the HTML, the agent's rich text kept.
    expect(t.parsed.html).toContain('How do I reset my &lt;b&gt;password&lt;/b&gt;?');
    expect(t.parsed.html).toContain('<strong>Forgot password</strong>');
    // Once a minute per conversation; and never for someone else's conversation.
    const again = await server.req('POST', `/conversations/${conversationId}/email/transcript`, { auth: server.admin, body: {} });
    expect(again.body).toEqual({ outcome: 'too_soon' });
    const stranger = await newVisitor(server.url, websiteToken);
    const foreign = await fetch(`${server.url}/api/v1/email/transcript`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ websiteToken, visitorToken: stranger.visitorToken, conversationId }),
    });
    expect(foreign.status).toBe(404);

    await server.req('PATCH', `/inboxes/${inboxId}/email`, { auth: server.admin, body: { transcriptOnResolve: true } });
    await resolve(conversationId);
    await until(() =>
      sink.mails.filter((m) => m.envelope.to.includes('pia@cust.test') && m.parsed.subject?.startsWith('Transcript')).length === 2
        ? true
        : undefined,
    );
    await server.req('PATCH', `/inboxes/${inboxId}/email`, { auth: server.admin, body: { transcriptOnResolve: false } });
  });

  it('sends the CSAT survey by mail on resolve: one click records the same rating as the widget, again replaces it, a comment can follow', async () => {
    await server.req('PATCH', `/inboxes/${inboxId}/email`, { auth: server.admin, body: { csatByEmail: true } });
    const conv = await mailIn('rosa@cust.test', 'Broken zipper', 'My jacket zipper broke.');
    await reply(conv.id, 'We will send a new one.');
    await until(() => sink.mails.find((m) => m.envelope.to.includes('rosa@cust.test')));
    await resolve(conv.id);
    const survey = await until(() =>
      sink.mails.find((m) => m.envelope.to.includes('rosa@cust.test') && m.parsed.subject?.startsWith('How did we do')),
    );
    const links = [...survey.parsed.text!.matchAll(/https?:\/\/\S+rating=\d/g)].map((m) => m[0]);
    expect(links).toHaveLength(5);
    expect(survey.parsed.html).toContain(links[3]!.replace(/&/g, '&amp;'));
    const local = (href: string) => `${server.url}${new URL(href).pathname}${new URL(href).search}`;

    const four = await fetch(local(links[3]!));
    expect(four.status).toBe(200);
    expect(await four.text()).toContain('Thank you for your rating!');
    const rated = async () => (await server.req('GET', `/conversations/${conv.id}`, { auth: server.admin })).body.csat;
    expect(await rated()).toMatchObject({ rating: 4, comment: null });
    // A second click (or a mail scanner's) is the same rating again, or the newer choice.
    expect((await fetch(local(links[3]!))).status).toBe(200);
    expect((await fetch(local(links[4]!))).status).toBe(200);
    expect(await rated()).toMatchObject({ rating: 5 });
    const form = await fetch(new URL(links[4]!).pathname.replace(/^/, server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ rating: '5', comment: 'Quick and <i>kind</i>' }).toString(),
    });
    expect(form.status).toBe(200);
    const page = await form.text();
    expect(page).toContain('Thank you for your feedback!');
    expect(page).toContain('Quick and &lt;i&gt;kind&lt;/i&gt;');
    expect(await rated()).toMatchObject({ rating: 5, comment: 'Quick and <i>kind</i>' });

    // A token names one conversation: another id with this signature is refused, nothing is recorded.
    const other = await mailIn('sam@cust.test', 'Other', 'Other question');
    const token = new URL(links[0]!).pathname.split('/').pop()!;
    const forged = `${other.id.replace(/-/g, '')}.${token.split('.')[1]}`;
    expect((await fetch(`${server.url}/api/v1/email/csat/${forged}?rating=1`)).status).toBe(404);
    expect((await server.req('GET', `/conversations/${other.id}`, { auth: server.admin })).body.csat).toBeNull();
    await server.req('PATCH', `/inboxes/${inboxId}/email`, { auth: server.admin, body: { csatByEmail: false } });
  });
});
