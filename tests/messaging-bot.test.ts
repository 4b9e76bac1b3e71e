import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeMessenger, messengerPayload, startFakeMessenger } from './helpers/fake-messenger';
import { type FakeTwilio, startFakeTwilio } from './helpers/fake-twilio';
import { type FakeWhatsApp, startFakeWhatsApp, whatsAppPayload } from './helpers/fake-whatsapp';
import { startTestServer, type TestServer, waitFor } from './helpers/test-server';

// The bot in a messaging inbox: off by default (nothing but the agent answers a text), and once an
// admin turns it on, a new SMS conversation is answered from the knowledge base in plain text, the
// article's link written out, through the same Twilio path as an agent's reply. The same for a WhatsApp and a
// Messenger inbox, through their stand-ins.

let s: TestServer;
let twilio: FakeTwilio;
let wa: FakeWhatsApp;
let fb: FakeMessenger;
let inboxId = '';
let smsUrl = '';
let seq = 0;
const OUR_NUMBER = '+15005550006';
const until = async <T>(check: () => Promise<T | undefined> | T | undefined) => (await waitFor(check)) as T;

beforeAll(async () => {
  twilio = await startFakeTwilio();
  wa = await startFakeWhatsApp();
  fb = await startFakeMessenger();
  s = await startTestServer({
    env: { TWILIO_API_BASE_URL: twilio.url, WHATSAPP_GRAPH_BASE_URL: wa.url, MESSENGER_GRAPH_BASE_URL: fb.url },
  });
  const inbox = await s.req('POST', '/inboxes', {
    auth: s.admin,
    body: { name: 'Text us', channel: 'sms', members: [s.admin.userId] },
  });
  inboxId = inbox.body.id;
  const set = await s.req('PATCH', `/inboxes/${inboxId}/sms`, {
    auth: s.admin,
    body: { accountSid: twilio.accountSid, authToken: twilio.authToken, from: OUR_NUMBER },
  });
  expect(set.status).toBe(200);
  smsUrl = `${s.url}/api/v1/channels/twilio/${inboxId}/sms`;
  const article = await s.req('POST', '/kb/articles', {
    auth: s.admin,
    body: {
      slug: 'reset-password',
      locale: 'en',
      title: 'Reset your password',
      body: 'Open Settings, choose Security and tap **Reset password**. We email you a link that works for one hour.',
      keywords: ['password', 'login'],
      status: 'published',
    },
  });
  expect(article.status).toBe(201);
});

afterAll(async () => {
  await s?.close();
  await twilio?.close();
  await wa?.close();
  await fb?.close();
});

const text = (from: string, body: string) =>
  twilio.webhook(smsUrl, {
    MessageSid: `SM${String(++seq).padStart(32, '0')}`,
    AccountSid: twilio.accountSid,
    From: from,
    To: OUR_NUMBER,
    Body: body,
    NumMedia: '0',
  });

describe('the bot in SMS rooms', () => {
  it('stays out unless turned on, then answers from the knowledge base in plain text', async () => {
    expect((await s.req('GET', `/inboxes/${inboxId}/messaging-bot`, { auth: s.admin })).body).toEqual({ enabled: false });
    expect((await text('+4915100000001', 'how do I reset my password')).status).toBe(200);
    await until(async () => {
      const list = (await s.req('GET', `/conversations?inbox=${inboxId}`, { auth: s.admin })).body.data;
      return list.length ? list : undefined;
    });
    await s.settle();
    expect(twilio.sent).toHaveLength(0);

    const on = await s.req('PUT', `/inboxes/${inboxId}/messaging-bot`, { auth: s.admin, body: { enabled: true } });
    expect(on.status).toBe(200);
    expect((await text('+4915100000002', 'how do I reset my password')).status).toBe(200);
    const answer = await until(() => twilio.sent.find((m) => m.form.get('To') === '+4915100000002'));
    const body = answer.form.get('Body')!;
    expect(body).toMatch(/Reset your password \(http[^)\s]*\/help\/en\/articles\/reset-password\)/);
    expect(body).not.toMatch(/<[a-z]/i);
    const conv = (await s.req('GET', `/conversations?inbox=${inboxId}`, { auth: s.admin })).body.data.find(
      (c: { owner: string }) => c.owner === 'bot',
    );
    expect(conv).toBeTruthy();
  });
});

/** A connected inbox of this channel with the bot turned on. */
async function botInbox(channel: 'whatsapp' | 'messenger', settings: Record<string, unknown>) {
  const inbox = await s.req('POST', '/inboxes', {
    auth: s.admin,
    body: { name: `Bot on ${channel}`, channel, members: [s.admin.userId] },
  });
  expect(inbox.status).toBe(201);
  expect((await s.req('PATCH', `/inboxes/${inbox.body.id}/${channel}`, { auth: s.admin, body: settings })).status).toBe(200);
  const on = await s.req('PUT', `/inboxes/${inbox.body.id}/messaging-bot`, { auth: s.admin, body: { enabled: true } });
  expect(on.status).toBe(200);
  return inbox.body.id as string;
}

/** The bot's answer: plain text naming the article with its link written out whole. */
function expectPlainAnswer(text: string) {
  expect(text).toMatch(/Reset your password \(http[^)\s]*\/help\/en\/articles\/reset-password\)/);
  expect(text).not.toMatch(/<[a-z]/i);
  expect(text).not.toMatch(/\]\(|\*\*/);
}

describe('the bot in WhatsApp and Messenger rooms', () => {
  it('answers a new WhatsApp conversation from the knowledge base in plain text', async () => {
    const inboxId = await botInbox('whatsapp', {
      phoneNumberId: wa.phoneNumberId,
      accessToken: wa.accessToken,
      appSecret: wa.appSecret,
    });
    const res = await wa.webhook(
      `${s.url}/api/v1/channels/whatsapp/${inboxId}`,
      whatsAppPayload(wa.phoneNumberId, {
        contacts: [{ profile: { name: 'Rui' }, wa_id: '5511900000001' }],
        messages: [
          {
            from: '5511900000001',
            id: 'wamid.bot1',
            timestamp: String(Math.floor(Date.now() / 1000)),
            type: 'text',
            text: { body: 'how do I reset my password' },
          },
        ],
      }),
    );
    expect(res.status).toBe(200);
    const answer = await until(() => wa.sent.find((m) => m.body.to === '5511900000001'));
    expect(answer.body.type).toBe('text');
    expectPlainAnswer(answer.body.text.body);
    const conv = (await s.req('GET', `/conversations?inbox=${inboxId}`, { auth: s.admin })).body.data[0];
    expect(conv.owner).toBe('bot');
  });

  it('answers a new Messenger conversation from the knowledge base in plain text', async () => {
    const inboxId = await botInbox('messenger', {
      pageId: fb.pageId,
      pageAccessToken: fb.pageAccessToken,
      appSecret: fb.appSecret,
    });
    const res = await fb.webhook(
      `${s.url}/api/v1/channels/messenger/${inboxId}`,
      messengerPayload('page', fb.pageId, [
        {
          sender: { id: '9100' },
          recipient: { id: fb.pageId },
          timestamp: Date.now(),
          message: { mid: 'm_bot_1', text: 'how do I reset my password' },
        },
      ]),
    );
    expect(res.status).toBe(200);
    const answer = await until(() => fb.sent.find((m) => m.body.recipient.id === '9100'));
    expect(answer.body.messaging_type).toBe('RESPONSE');
    expectPlainAnswer(answer.body.message.text);
  });
});
