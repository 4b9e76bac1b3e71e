import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeTwilio, startFakeTwilio } from './helpers/fake-twilio';
import { type FakeWhatsApp, startFakeWhatsApp, whatsAppPayload } from './helpers/fake-whatsapp';
import { mailClient, startSmtpSink } from './helpers/smtp-sink';
import { startTestServer, type TestServer, waitFor } from './helpers/test-server';

// One customer across channels: a contact's identities (phone, WhatsApp number, email ...) find the
// contact of every inbound message, whichever channel it comes on; merging two contacts moves their
// identities, so the duplicate's address lands on the survivor; the contact's conversations on every
// channel are one timeline, and the agent can answer on any channel that reaches the contact.

let s: TestServer;
let twilio: FakeTwilio;
let wa: FakeWhatsApp;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let mail: ReturnType<typeof mailClient>;
const inbox = { sms: '', whatsapp: '', email: '' };
let smsUrl = '';
let waUrl = '';
let seq = 0;
const OUR_NUMBER = '+15005550006';
const EMAIL_INBOX = 'help@acme.test';
const until = async <T>(check: () => Promise<T | undefined> | T | undefined) => (await waitFor(check)) as T;

beforeAll(async () => {
  twilio = await startFakeTwilio();
  wa = await startFakeWhatsApp();
  sink = await startSmtpSink();
  s = await startTestServer({
    env: {
      TWILIO_API_BASE_URL: twilio.url,
      WHATSAPP_GRAPH_BASE_URL: wa.url,
      SMTP_URL: sink.url,
      SMTP_INBOUND_PORT: '0',
      SMS_RETRY_BASE_MS: '40',
    },
  });
  for (const [channel, name] of [
    ['sms', 'Text us'],
    ['whatsapp', 'WhatsApp'],
    ['email', EMAIL_INBOX],
  ] as const) {
    const res = await s.req('POST', '/inboxes', { auth: s.admin, body: { name, channel, members: [s.admin.userId] } });
    expect(res.status).toBe(201);
    inbox[channel] = res.body.id;
  }
  const sms = await s.req('PATCH', `/inboxes/${inbox.sms}/sms`, {
    auth: s.admin,
    body: { accountSid: twilio.accountSid, authToken: twilio.authToken, from: OUR_NUMBER },
  });
  smsUrl = sms.body.webhookUrls.inbound.replace(/^http:\/\/localhost(:\d+)?/, s.url);
  await s.req('PATCH', `/inboxes/${inbox.whatsapp}/whatsapp`, {
    auth: s.admin,
    body: { phoneNumberId: wa.phoneNumberId, accessToken: wa.accessToken, appSecret: wa.appSecret },
  });
  waUrl = `${s.url}/api/v1/channels/whatsapp/${inbox.whatsapp}`;
  mail = mailClient(s.deps.channels!.get('email')!.ports.smtp!);
});

afterAll(async () => {
  mail?.close();
  await s?.close();
  await twilio?.close();
  await wa?.close();
  await sink?.close();
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
const whatsApp = (waId: string, body: string) =>
  wa.webhook(
    waUrl,
    whatsAppPayload(wa.phoneNumberId, {
      contacts: [{ profile: { name: 'Lena' }, wa_id: waId }],
      messages: [
        { from: waId, id: `wamid.${++seq}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body } },
      ],
    }),
  );
type Conv = { id: string; contactId: string; channel: string; inboxId: string };
const conversations = async (inboxId: string) =>
  (await s.req('GET', `/conversations?inbox=${inboxId}&limit=100`, { auth: s.admin })).body.data as Conv[];
/** The conversation in an inbox whose first customer message has this text. */
async function conversationWith(inboxId: string, body: string): Promise<Conv> {
  return until(async () => {
    for (const c of await conversations(inboxId)) {
      const msgs = (await s.req('GET', `/conversations/${c.id}/messages?limit=50`, { auth: s.admin })).body.data as {
        bodyText: string;
      }[];
      if (msgs.some((m) => m.bodyText.includes(body))) return c;
    }
    return undefined;
  });
}
const identitiesOf = async (contactId: string) =>
  (await s.req('GET', `/contacts/${contactId}/identities`, { auth: s.admin })).body.data as {
    id: string;
    kind: string;
    value: string;
  }[];

describe('contact identities', () => {
  it('the same number on SMS and WhatsApp is one contact', async () => {
    expect((await text('+4915199990001', 'sms first')).status).toBe(200);
    const bySms = await conversationWith(inbox.sms, 'sms first');
    expect((await whatsApp('4915199990001', 'then whatsapp')).status).toBe(200);
    const byWa = await conversationWith(inbox.whatsapp, 'then whatsapp');
    expect(byWa.contactId).toBe(bySms.contactId);
    const kinds = (await identitiesOf(bySms.contactId)).map((i) => `${i.kind}:${i.value}`).sort();
    expect(kinds).toEqual(['phone:+4915199990001', 'whatsapp:+4915199990001']);
  });

  it('a person by SMS and by email, merged: one contact, one timeline, their mail finds the survivor', async () => {
    await text('+4915199990002', 'my parcel is late');
    const sms = await conversationWith(inbox.sms, 'my parcel is late');
    // The survivor has a work address already; the duplicate's private one is kept as an identity.
    const work = await s.req('PATCH', `/contacts/${sms.contactId}`, { auth: s.admin, body: { email: 'lena@work.test' } });
    expect(work.status).toBe(200);
    await mail.send({ from: 'Lena <lena@home.test>', to: EMAIL_INBOX, subject: 'Parcel', text: 'writing by mail too' });
    const email = await conversationWith(inbox.email, 'writing by mail too');
    expect(email.contactId).not.toBe(sms.contactId);

    const merged = await s.req('POST', `/contacts/${sms.contactId}/merge`, {
      auth: s.admin,
      body: { duplicateId: email.contactId },
    });
    expect(merged.status).toBe(200);
    const timeline = (await s.req('GET', `/conversations?contact=${sms.contactId}&limit=50`, { auth: s.admin })).body
      .data as Conv[];
    expect(timeline.map((c) => c.channel).sort()).toEqual(['email', 'sms']);
    expect((await identitiesOf(sms.contactId)).map((i) => `${i.kind}:${i.value}`).sort()).toEqual([
      'email:lena@home.test',
      'email:lena@work.test',
      'phone:+4915199990002',
    ]);

    // Later mail from the duplicate's address: the survivor's, not a new contact.
    await mail.send({ from: 'lena@home.test', to: EMAIL_INBOX, subject: 'Another thing', text: 'a new question by mail' });
    const later = await conversationWith(inbox.email, 'a new question by mail');
    expect(later.contactId).toBe(sms.contactId);

    // Reply channels: SMS continues the SMS room, email the latest mail room; the default is email,
    // where she last wrote. WhatsApp reaches her phone number too (a new conversation would start).
    const channels = await s.req('GET', `/conversations/${sms.id}/reply-channels`, { auth: s.admin });
    expect(channels.status).toBe(200);
    expect(channels.body.defaultInboxId).toBe(inbox.email);
    const byInbox = new Map(
      (channels.body.options as { inboxId: string; address: string; conversationId: string | null }[]).map((o) => [o.inboxId, o]),
    );
    expect(byInbox.get(inbox.sms)).toMatchObject({ address: '+4915199990002', conversationId: sms.id });
    expect(byInbox.get(inbox.email)).toMatchObject({ conversationId: later.id });
    expect(byInbox.get(inbox.whatsapp)).toMatchObject({ address: '+4915199990002', conversationId: null });
  });

  it('a person by email and on WhatsApp, merged into the email contact: one timeline, their next WhatsApp message on it', async () => {
    await mail.send({ from: 'Rita <rita@home.test>', to: EMAIL_INBOX, subject: 'Refund', text: 'where is my refund' });
    const email = await conversationWith(inbox.email, 'where is my refund');
    expect((await whatsApp('4915199990004', 'asking on WhatsApp too')).status).toBe(200);
    const byWa = await conversationWith(inbox.whatsapp, 'asking on WhatsApp too');
    expect(byWa.contactId).not.toBe(email.contactId);

    const merged = await s.req('POST', `/contacts/${email.contactId}/merge`, {
      auth: s.admin,
      body: { duplicateId: byWa.contactId },
    });
    expect(merged.status).toBe(200);
    const timeline = (await s.req('GET', `/conversations?contact=${email.contactId}&limit=50`, { auth: s.admin })).body
      .data as Conv[];
    expect(timeline.map((c) => c.channel).sort()).toEqual(['email', 'whatsapp']);
    expect((await identitiesOf(email.contactId)).map((i) => `${i.kind}:${i.value}`).sort()).toEqual([
      'email:rita@home.test',
      'phone:+4915199990004',
      'whatsapp:+4915199990004',
    ]);
    // Her next WhatsApp message threads into the WhatsApp room, now the survivor's; so does a text from her number.
    await whatsApp('4915199990004', 'any news on WhatsApp?');
    expect((await conversationWith(inbox.whatsapp, 'any news on WhatsApp?')).contactId).toBe(email.contactId);
    await text('+4915199990004', 'and by text');
    expect((await conversationWith(inbox.sms, 'and by text')).contactId).toBe(email.contactId);
    // From her mail room the agent is offered her channels: the text, where she last wrote, first; WhatsApp
    // continues her WhatsApp room.
    const channels = await s.req('GET', `/conversations/${email.id}/reply-channels`, { auth: s.admin });
    expect(channels.body.defaultInboxId).toBe(inbox.sms);
    const wa = (channels.body.options as { inboxId: string; conversationId: string | null }[]).find(
      (o) => o.inboxId === inbox.whatsapp,
    );
    expect(wa?.conversationId).toBe(byWa.id);
  });

  it('identities are added and removed by hand; an address another contact holds is a conflict', async () => {
    const a = await s.req('POST', '/contacts', { auth: s.admin, body: { name: 'Ola', email: 'ola@example.test' } });
    const b = await s.req('POST', '/contacts', { auth: s.admin, body: { name: 'Per', phone: '+47 400 00 001' } });
    expect(b.status).toBe(201);
    const taken = await s.req('POST', `/contacts/${a.body.id}/identities`, {
      auth: s.admin,
      body: { kind: 'phone', value: '+4740000001' },
    });
    expect(taken.status).toBe(409);
    const bad = await s.req('POST', `/contacts/${a.body.id}/identities`, {
      auth: s.admin,
      body: { kind: 'email', value: 'not an email' },
    });
    expect(bad.status).toBe(400);
    const added = await s.req('POST', `/contacts/${a.body.id}/identities`, {
      auth: s.admin,
      body: { kind: 'phone', value: '+47 400 00 002' },
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ kind: 'phone', value: '+4740000002', verified: false });

    // The agent starts an SMS conversation with her on the number added by hand.
    const started = await s.req('POST', '/conversations/start', {
      auth: s.admin,
      body: { inboxId: inbox.sms, contactId: a.body.id, body: 'Hi Ola, your parcel is here' },
    });
    expect(started.status).toBe(201);
    const sent = await until(() => twilio.sent.find((m) => m.form.get('To') === '+4740000002'));
    expect(sent.form.get('Body')).toBe('Hi Ola, your parcel is here');
    // A text from that number lands on her.
    await text('+4740000002', 'thanks!');
    expect((await conversationWith(inbox.sms, 'thanks!')).contactId).toBe(a.body.id);

    const removed = await s.req('DELETE', `/contacts/${a.body.id}/identities/${added.body.id}`, { auth: s.admin });
    expect(removed.status).toBe(204);
    expect((await identitiesOf(a.body.id)).map((i) => i.kind)).toEqual(['email']);
    const noWay = await s.req('POST', '/conversations/start', {
      auth: s.admin,
      body: { inboxId: inbox.sms, contactId: a.body.id, body: 'again' },
    });
    expect(noWay.status).toBe(400);
  });

  it('an email known only as an identity is offered and written to: the conversation starts and the mail goes out', async () => {
    await text('+4915199990003', 'texting first');
    const sms = await conversationWith(inbox.sms, 'texting first');
    const added = await s.req('POST', `/contacts/${sms.contactId}/identities`, {
      auth: s.admin,
      body: { kind: 'email', value: 'kari@home.test' },
    });
    expect(added.status).toBe(201);
    const channels = await s.req('GET', `/conversations/${sms.id}/reply-channels`, { auth: s.admin });
    const email = (channels.body.options as { inboxId: string; address: string }[]).find((o) => o.inboxId === inbox.email);
    expect(email?.address).toBe('kari@home.test');
    const started = await s.req('POST', '/conversations/start', {
      auth: s.admin,
      body: { inboxId: inbox.email, contactId: sms.contactId, subject: 'Your parcel', body: 'It arrived today.' },
    });
    expect(started.status, started.text).toBe(201);
    const sent = await until(() => sink.mails.find((m) => m.envelope.to.includes('kari@home.test')));
    expect(sent.parsed.text).toContain('It arrived today.');
    const contact = await s.req('GET', `/contacts/${sms.contactId}`, { auth: s.admin });
    expect(contact.body.email).toBe('kari@home.test');
  });
});
