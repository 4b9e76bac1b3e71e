import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature } from '../server/src/channels/sms/twilio-signature';
import { channelRooms } from './helpers/channel-rooms';
import { type FakeTwilio, startFakeTwilio } from './helpers/fake-twilio';
import { agentSocket, call, collect, connected } from './helpers/sockets';
import { startTestServer, type TestServer, waitFor } from './helpers/test-server';

// SMS end to end against a Twilio stand-in on loopback that speaks its REST API and signs its
// webhooks with the official helper library: texts in, replies out, delivery states, retries,
// opt-outs, MMS media both ways, and every refusal at the edge.

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const OUR_NUMBER = '+15005550006';

let s: TestServer;
let fake: FakeTwilio;
let inboxId: string;
let inboundUrl: string;
let statusUrl: string;
let sidSeq = 0;
/** waitFor whose value is never undefined once it resolves. */
const until = async <T>(check: () => Promise<T | undefined> | T | undefined) => (await waitFor(check)) as T;
const sid = () => `SM${String(++sidSeq).padStart(32, '0')}`;

beforeAll(async () => {
  fake = await startFakeTwilio();
  s = await startTestServer({
    env: { TWILIO_API_BASE_URL: fake.url, TWILIO_MEDIA_HOSTS: '127.0.0.1', SMS_RETRY_BASE_MS: '40', SMS_MAX_ATTEMPTS: '3' },
  });
  const inbox = await s.req('POST', '/inboxes', {
    auth: s.admin,
    body: { name: 'Text us', channel: 'sms', members: [s.admin.userId] },
  });
  expect(inbox.status).toBe(201);
  inboxId = inbox.body.id;
  const set = await s.req('PATCH', `/inboxes/${inboxId}/sms`, {
    auth: s.admin,
    body: { accountSid: fake.accountSid, authToken: fake.authToken, from: OUR_NUMBER },
  });
  expect(set.status).toBe(200);
  expect(set.text).not.toContain(fake.authToken);
  await channelRooms(s).expectSealed(inboxId, [fake.authToken]);
  inboundUrl = set.body.webhookUrls.inbound.replace(/^http:\/\/localhost(:\d+)?/, s.url);
  statusUrl = set.body.webhookUrls.status.replace(/^http:\/\/localhost(:\d+)?/, s.url);
  expect(inboundUrl).toBe(`${s.url}/api/v1/channels/twilio/${inboxId}/sms`);
});

afterAll(async () => {
  await s?.close();
  await fake?.close();
});

const text = (from: string, body: string, extra: Record<string, string> = {}) =>
  fake.webhook(inboundUrl, {
    MessageSid: sid(),
    AccountSid: fake.accountSid,
    From: from,
    To: OUR_NUMBER,
    Body: body,
    NumMedia: '0',
    ...extra,
  });

async function conversationsOf(phone: string) {
  const res = await s.req('GET', `/conversations?inbox=${inboxId}&limit=100`, { auth: s.admin });
  const out: { id: string; contactId: string; channel: string }[] = [];
  for (const c of res.body.data) {
    const contact = await s.req('GET', `/contacts/${c.contactId}`, { auth: s.admin });
    if (contact.body.phone === phone) out.push(c);
  }
  return out;
}
const room = () => channelRooms(s);
const messagesOf = (id: string) => room().messagesOf(id);
const deliveries = (id: string) => room().deliveries(id);
const reply = (conversationId: string, body: string, extra: Record<string, unknown> = {}) =>
  room().reply(conversationId, body, extra);
const sentTo = (phone: string) => fake.sent.filter((m) => m.form.get('To') === phone);

describe('Twilio request signatures', () => {
  it('equal the official library on its own vectors and random parameters', () => {
    // The example from Twilio's security documentation.
    const docUrl = 'https://mycompany.com/myapp.php?foo=1&bar=2';
    const docParams = {
      CallSid: 'CA1234567890ABCDE',
      Caller: '+14158675309',
      Digits: '1234',
      From: '+14158675309',
      To: '+18005551212',
    };
    expect(twilioSignature('12345', docUrl, docParams)).toBe(twilio.getExpectedTwilioSignature('12345', docUrl, docParams));
    expect(twilioSignature('12345', docUrl, docParams)).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
    for (let i = 0; i < 50; i++) {
      const params: Record<string, string> = {};
      for (let k = 0; k < 6; k++) params[`K${Math.random().toString(36).slice(2, 6)}`] = `v ü😀 ${Math.random()}`;
      const url = `https://example.test/hook/${i}?a=${i}`;
      const ours = twilioSignature('tok', url, params);
      expect(ours).toBe(twilio.getExpectedTwilioSignature('tok', url, params));
      expect(twilio.validateRequest('tok', ours, url, params)).toBe(true);
    }
  });
});

describe('SMS through Twilio', () => {
  it('a text opens a conversation for the number, the next threads into it, a redelivery is stored once', async () => {
    const from = '+4915111110001';
    const first = await text(from, 'Hi, my order #123 has not arrived');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('text/xml');
    expect(await first.text()).toContain('<Response>');
    const [conv] = await until(async () => {
      const list = await conversationsOf(from);
      return list.length ? list : undefined;
    });
    expect(conv!.channel).toBe('sms');
    const again = { MessageSid: sid(), From: from, To: OUR_NUMBER, Body: 'Any news?', NumMedia: '0' };
    expect((await fake.webhook(inboundUrl, again)).status).toBe(200);
    expect((await fake.webhook(inboundUrl, again)).status).toBe(200);
    const msgs = await messagesOf(conv!.id);
    expect(msgs.filter((m) => m.authorKind === 'contact').map((m) => m.bodyText)).toEqual([
      'Hi, my order #123 has not arrived',
      'Any news?',
    ]);
    expect(await conversationsOf(from)).toHaveLength(1);
    expect((await deliveries(conv!.id)).map((d) => `${d.direction}:${d.network}`)).toEqual(['in:sms', 'in:sms']);
  });

  it('refuses unsigned, wrongly signed and foreign-inbox webhooks with nothing stored', async () => {
    const from = '+4915111110002';
    const params = { MessageSid: sid(), From: from, To: OUR_NUMBER, Body: 'sneaky', NumMedia: '0' };
    expect((await fake.webhook(inboundUrl, params, { signature: null })).status).toBe(403);
    expect((await fake.webhook(inboundUrl, params, { authToken: 'f'.repeat(32) })).status).toBe(403);
    // A signature for other parameters (a replayed header on a changed body).
    const signedOther = twilio.getExpectedTwilioSignature(fake.authToken, inboundUrl, { ...params, Body: 'other' });
    expect((await fake.webhook(inboundUrl, params, { signature: signedOther })).status).toBe(403);
    const otherUrl = inboundUrl.replace(inboxId, '00000000-0000-4000-8000-000000000000');
    expect((await fake.webhook(otherUrl, params)).status).toBe(404);
    const forbidden = await fetch(inboundUrl, { method: 'POST', body: 'garbage', headers: { 'x-twilio-signature': 'x' } });
    expect(forbidden.status).toBe(403);
    expect(await conversationsOf(from)).toHaveLength(0);
  });

  it("sends an agent's reply with Twilio's request shape and shows its delivery state", async () => {
    const from = '+4915111110003';
    await text(from, 'Hello?');
    const [conv] = await until(async () => {
      const l = await conversationsOf(from);
      return l.length ? l : undefined;
    });
    // The room's agents watch the delivery state move live.
    const agent = agentSocket(s.url, s.admin);
    await connected(agent);
    expect((await call(agent, 'room:join', { conversationId: conv!.id })).ok).toBe(true);
    const live = collect(agent, 'channel:status');
    const messageId = await reply(conv!.id, '<p>Hello! <b>How</b> can we help?</p>');
    const sent = await until(() => sentTo(from)[0]);
    expect(sent.auth).toBe(`Basic ${Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString('base64')}`);
    expect(sent.form.get('From')).toBe(OUR_NUMBER);
    expect(sent.form.get('Body')).toBe('Hello! How can we help?');
    expect(sent.form.get('StatusCallback')).toMatch(new RegExp(`/api/v1/channels/twilio/${inboxId}/status$`));
    await until(async () => (await deliveries(conv!.id)).find((d) => d.messageId === messageId && d.status === 'sent'));
    // Callbacks out of order: delivered, then a late "sent" that must not hide it.
    const cb = (status: string, extra: Record<string, string> = {}) =>
      fake.webhook(statusUrl, { MessageSid: sent.sid, MessageStatus: status, AccountSid: fake.accountSid, ...extra });
    expect((await cb('delivered')).status).toBe(204);
    expect((await cb('sent')).status).toBe(204);
    const out = (await deliveries(conv!.id)).find((d) => d.messageId === messageId)!;
    expect(out.status).toBe('delivered');
    // An unsigned callback changes nothing.
    const unsigned = await fake.webhook(statusUrl, { MessageSid: sent.sid, MessageStatus: 'failed' }, { signature: null });
    expect(unsigned.status).toBe(403);
    expect((await deliveries(conv!.id)).find((d) => d.messageId === messageId)!.status).toBe('delivered');
    await s.settle();
    // Sent, then delivered: the late "sent" moved nothing, so nothing went out for it.
    await waitFor(() => live.filter((e) => e.messageId === messageId).length === 2);
    expect(live.filter((e) => e.messageId === messageId).map((e) => e.status)).toEqual(['sent', 'delivered']);
    agent.close();
    // Private notes never leave.
    await reply(conv!.id, 'internal only', { private: true });
    await s.settle();
    expect(sentTo(from)).toHaveLength(1);
  });

  it("records a carrier's undelivered and failed callbacks with Twilio's error code", async () => {
    const from = '+4915111110009';
    await text(from, 'Are you there?');
    const [conv] = await until(async () => {
      const l = await conversationsOf(from);
      return l.length ? l : undefined;
    });
    const first = await reply(conv!.id, 'Yes');
    const second = await reply(conv!.id, 'Still here');
    const a = await until(() => sentTo(from).find((m) => m.form.get('Body') === 'Yes'));
    const b = await until(() => sentTo(from).find((m) => m.form.get('Body') === 'Still here'));
    await until(async () => ((await deliveries(conv!.id)).filter((d) => d.status === 'sent').length === 2 ? true : undefined));
    const cb = (sid: string, status: string, errorCode: string) =>
      fake.webhook(statusUrl, { MessageSid: sid, MessageStatus: status, ErrorCode: errorCode, AccountSid: fake.accountSid });
    expect((await cb(a.sid, 'undelivered', '30003')).status).toBe(204);
    expect((await cb(b.sid, 'failed', '30007')).status).toBe(204);
    const rows = await deliveries(conv!.id);
    const undelivered = rows.find((d) => d.messageId === first)!;
    const failed = rows.find((d) => d.messageId === second)!;
    expect(undelivered.status).toBe('undelivered');
    expect(undelivered.reason).toContain('30003');
    expect(failed.status).toBe('failed');
    expect(failed.reason).toContain('30007');
    // A late "delivered" does not undo the carrier's verdict.
    await cb(a.sid, 'delivered', '');
    expect((await deliveries(conv!.id)).find((d) => d.messageId === first)!.status).toBe('undelivered');
  });

  it('retries a passing outage, fails a refusal at once, and gives up after the last try', async () => {
    const from = '+4915111110004';
    await text(from, 'Outage test');
    const [conv] = await until(async () => {
      const l = await conversationsOf(from);
      return l.length ? l : undefined;
    });
    fake.failNext.push({ status: 503 });
    const retried = await reply(conv!.id, 'first');
    const ok = await until(async () => (await deliveries(conv!.id)).find((d) => d.messageId === retried && d.status === 'sent'));
    expect(ok.attempts).toBe(2);

    fake.failNext.push({ status: 400, code: 21211, message: "The 'To' number is not a valid phone number." });
    const refused = await reply(conv!.id, 'second');
    const bad = await until(async () =>
      (await deliveries(conv!.id)).find((d) => d.messageId === refused && d.status === 'failed'),
    );
    expect(bad.attempts).toBe(1);
    expect(bad.reason).toContain('21211');

    fake.failNext.push({ status: 500 }, { status: 429 }, { status: 503 });
    const down = await reply(conv!.id, 'third');
    const gaveUp = await until(async () =>
      (await deliveries(conv!.id)).find((d) => d.messageId === down && d.status === 'failed'),
    );
    expect(gaveUp.attempts).toBe(3);
    expect(gaveUp.reason).toContain('503');
  });

  it('splits a reply longer than one concatenated message, in order, and counts segments', async () => {
    const from = '+4915111110005';
    await text(from, 'Tell me everything');
    const [conv] = await until(async () => {
      const l = await conversationsOf(from);
      return l.length ? l : undefined;
    });
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    await reply(conv!.id, words);
    const parts = await until(() => (sentTo(from).length >= 2 ? sentTo(from) : undefined));
    expect(parts).toHaveLength(2);
    expect(parts.map((p) => p.form.get('Body')).join(' ')).toBe(words);
    expect(parts.every((p) => (p.form.get('Body') ?? '').length <= 1600)).toBe(true);
    const rows = await until(async () => {
      const d = (await deliveries(conv!.id)).filter((x) => x.direction === 'out' && x.status === 'sent');
      return d.length === 2 ? d : undefined;
    });
    expect(rows.every((r) => (r.segments ?? 0) > 1)).toBe(true);
  });

  it('honours STOP until START', async () => {
    const from = '+4915111110006';
    await text(from, 'Question');
    const [conv] = await until(async () => {
      const l = await conversationsOf(from);
      return l.length ? l : undefined;
    });
    await text(from, 'STOP');
    const skipped = await reply(conv!.id, 'Are you still there?');
    const row = await until(async () => (await deliveries(conv!.id)).find((d) => d.messageId === skipped));
    expect(row.status).toBe('skipped');
    expect(row.reason).toContain('STOP');
    await text(from, 'start');
    const sentAgain = await reply(conv!.id, 'Welcome back');
    await until(async () => (await deliveries(conv!.id)).find((d) => d.messageId === sentAgain && d.status === 'sent'));
    expect(sentTo(from).map((m) => m.form.get('Body'))).toEqual(['Welcome back']);
  });

  it("stores MMS media from Twilio's hosts only, and sends an agent's file as media", async () => {
    const from = '+4915111110007';
    fake.media.set('ME1', { bytes: PNG, contentType: 'image/png' });
    await text(from, 'Here is a photo', { NumMedia: '1', MediaUrl0: fake.mediaUrl('ME1'), MediaContentType0: 'image/png' });
    const [conv] = await until(async () => {
      const l = await conversationsOf(from);
      return l.length ? l : undefined;
    });
    const [photo] = (await messagesOf(conv!.id)).filter((m) => m.authorKind === 'contact');
    expect(photo!.attachments).toHaveLength(1);
    expect(photo!.attachments[0]!.contentType).toBe('image/png');
    const file = await fetch(photo!.attachments[0]!.url.replace(/^http:\/\/[^/]+/, s.url));
    expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).toBe(true);

    // A media URL on any other host is not fetched (no SSRF); the text still arrives and says so.
    fake.media.set('ME2', { bytes: PNG, contentType: 'image/png' });
    await text(from, 'and another', {
      NumMedia: '1',
      MediaUrl0: fake.mediaUrl('ME2', 'localhost'),
      MediaContentType0: 'image/png',
    });
    const second = await until(async () => (await messagesOf(conv!.id)).find((m) => m.bodyText.startsWith('and another')));
    expect(second.attachments).toHaveLength(0);
    expect(second.bodyText).toContain('could not be received');

    // The agent's file goes out as a signed media link Twilio can fetch.
    const form = new FormData();
    form.append('file', new File([new Uint8Array(PNG)], 'label.png', { type: 'image/png' }));
    const up = await fetch(`${s.url}/api/v1/uploads`, {
      method: 'POST',
      headers: { cookie: s.admin.cookie, 'x-csrf-token': s.admin.csrfToken },
      body: form,
    });
    expect(up.status).toBe(201);
    await reply(conv!.id, 'Your label', { attachments: [await up.json()] });
    const mms = await until(() => sentTo(from).find((m) => m.form.get('Body') === 'Your label'));
    const [mediaUrl] = mms.form.getAll('MediaUrl');
    expect(mediaUrl).toMatch(/sig=/);
    const fetched = await fetch(mediaUrl!.replace(/^http:\/\/[^/]+/, s.url));
    expect(fetched.status).toBe(200);
  });

  it('"send test" sends one text through the Messages API and shows Twilio\'s answer or error', async () => {
    const ok = await s.req('POST', `/inboxes/${inboxId}/sms/test`, {
      auth: s.admin,
      body: { to: '+49 151 1111-9999', text: 'Test from AutoCRM' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ok: true });
    const sent = sentTo('+4915111119999');
    expect(sent).toHaveLength(1);
    expect(ok.body.externalId).toBe(sent[0]!.sid);
    expect(ok.body.answer).toContain(sent[0]!.sid);
    expect(sent[0]!.auth).toBe(`Basic ${Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString('base64')}`);
    expect(sent[0]!.form.get('From')).toBe(OUR_NUMBER);
    expect(sent[0]!.form.get('Body')).toBe('Test from AutoCRM');
    // Twilio's refusal comes back as its code and message, nothing sent, nothing queued.
    fake.failNext.push({ status: 400, code: 21211, message: "The 'To' number +1 is not a valid phone number." });
    const bad = await s.req('POST', `/inboxes/${inboxId}/sms/test`, { auth: s.admin, body: { to: '+1000', text: 'x' } });
    expect(bad.status).toBe(200);
    expect(bad.body).toMatchObject({ ok: false, externalId: null });
    expect(bad.body.answer).toContain('21211');
    expect(bad.body.answer).toContain('not a valid phone number');
    // Credentials are an admin's: an API key may not spend the workspace's texts.
    const key = await s.apiKey(['conversations:write']);
    expect((await s.req('POST', `/inboxes/${inboxId}/sms/test`, { auth: key, body: { to: '+4915111119998' } })).status).toBe(403);
    // An inbox not connected yet says so.
    const fresh = await s.req('POST', '/inboxes', { auth: s.admin, body: { name: 'Not yet', channel: 'sms' } });
    const notYet = await s.req('POST', `/inboxes/${fresh.body.id}/sms/test`, { auth: s.admin, body: { to: '+4915111119997' } });
    expect(notYet.body).toMatchObject({ ok: false });
    expect(notYet.body.answer).toContain('not connected');
    expect(sentTo('+4915111119998')).toHaveLength(0);
    expect(sentTo('+4915111119997')).toHaveLength(0);
  });

  it('stores no MMS file whose bytes are not what it claims, nor one of a refused type; the text says so', async () => {
    const from = '+4915111110008';
    fake.media.set('ME3', { bytes: Buffer.from('<html><script>alert(1)</script></html>'), contentType: 'image/png' });
    fake.media.set('ME4', { bytes: Buffer.from('MZ\x90\x00 not a program'), contentType: 'application/x-msdownload' });
    await text(from, 'two files', {
      NumMedia: '2',
      MediaUrl0: fake.mediaUrl('ME3'),
      MediaContentType0: 'image/png',
      MediaUrl1: fake.mediaUrl('ME4'),
      MediaContentType1: 'application/x-msdownload',
    });
    const [conv] = await until(async () => {
      const l = await conversationsOf(from);
      return l.length ? l : undefined;
    });
    const [msg] = (await messagesOf(conv!.id)).filter((m) => m.authorKind === 'contact');
    expect(msg!.attachments).toHaveLength(0);
    expect(msg!.bodyText).toContain('two files');
    expect(msg!.bodyText).toContain('2 attachments could not be received');
  });

  it('validates the settings and keeps them to admins', async () => {
    const bad = await s.req('PATCH', `/inboxes/${inboxId}/sms`, { auth: s.admin, body: { accountSid: 'nope', from: '12345' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['accountSid', 'from']);
    const key = await s.apiKey(['conversations:read']);
    expect((await s.req('GET', `/inboxes/${inboxId}/sms`, { auth: key })).status).toBe(403);
    const web = await s.req('GET', `/inboxes/${s.inboxId}/sms`, { auth: s.admin });
    expect(web.status).toBe(404);
    const got = await s.req('GET', `/inboxes/${inboxId}/sms`, { auth: s.admin });
    expect(got.body).toMatchObject({ accountSid: fake.accountSid, hasAuthToken: true, from: OUR_NUMBER });
    expect(got.text).not.toContain(fake.authToken);
  });
});
