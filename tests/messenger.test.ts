import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelRooms } from './helpers/channel-rooms';
import { type FakeMessenger, messengerPayload, startFakeMessenger } from './helpers/fake-messenger';
import { startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Facebook Messenger and Instagram messaging end to end against a loopback stand-in that speaks
// Meta's Messenger Platform: the webhook handshake, signed deliveries, texts and attachments in under
// the PSID (IGSID) of the page, replies out through the Send API, delivery and read receipts, the
// 24-hour window with message tags after it, retries, the settings' "send test", and the bot.

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

let s: TestServer;
let fake: FakeMessenger;
let inboxId: string;
let hookUrl: string;
let verifyToken: string;
let seq = 0;
const mid = () => `m_${String(++seq).padStart(24, '0')}`;
const until = async <T>(check: () => Promise<T | undefined> | T | undefined) => (await waitFor(check)) as T;

beforeAll(async () => {
  fake = await startFakeMessenger();
  s = await startTestServer({
    env: {
      MESSENGER_GRAPH_BASE_URL: fake.url,
      MESSENGER_MEDIA_HOSTS: '127.0.0.1',
      SMS_RETRY_BASE_MS: '40',
      SMS_MAX_ATTEMPTS: '3',
    },
  });
  const inbox = await s.req('POST', '/inboxes', {
    auth: s.admin,
    body: { name: 'Facebook page', channel: 'messenger', members: [s.admin.userId] },
  });
  expect(inbox.status).toBe(201);
  inboxId = inbox.body.id;
  const set = await s.req('PATCH', `/inboxes/${inboxId}/messenger`, {
    auth: s.admin,
    body: {
      pageId: fake.pageId,
      instagramAccountId: fake.instagramAccountId,
      pageAccessToken: fake.pageAccessToken,
      appSecret: fake.appSecret,
    },
  });
  expect(set.status).toBe(200);
  expect(set.text).not.toContain(fake.pageAccessToken);
  expect(set.text).not.toContain(fake.appSecret);
  await channelRooms(s).expectSealed(inboxId, [fake.pageAccessToken, fake.appSecret]);
  expect(set.body).toMatchObject({ pageId: fake.pageId, hasPageAccessToken: true, hasAppSecret: true });
  verifyToken = set.body.verifyToken;
  hookUrl = `${s.url}/api/v1/channels/messenger/${inboxId}`;
  expect(set.body.webhookUrl).toMatch(new RegExp(`/api/v1/channels/messenger/${inboxId}$`));
});

afterAll(async () => {
  await s?.close();
  await fake?.close();
});

const event = (psid: string, extra: Record<string, unknown>, object: 'page' | 'instagram' = 'page') =>
  messengerPayload(object, object === 'page' ? fake.pageId : fake.instagramAccountId, [
    {
      sender: { id: psid },
      recipient: { id: object === 'page' ? fake.pageId : fake.instagramAccountId },
      timestamp: Date.now(),
      ...extra,
    },
  ]);
const inbound = (psid: string, message: Record<string, unknown>, object: 'page' | 'instagram' = 'page') =>
  fake.webhook(hookUrl, event(psid, { message: { mid: mid(), ...message } }, object));

type Conv = { id: string; contactId: string };
/** The conversation of the contact known by this PSID (IGSID) in the inbox. */
async function conversationOf(psid: string, kind = 'messenger') {
  return until(async () => {
    const res = await s.req('GET', `/conversations?inbox=${inboxId}&limit=100`, { auth: s.admin });
    for (const c of res.body.data as Conv[]) {
      const ids = (await s.req('GET', `/contacts/${c.contactId}/identities`, { auth: s.admin })).body.data as {
        kind: string;
        value: string;
        inboxId: string | null;
      }[];
      if (ids.some((i) => i.kind === kind && i.value === psid && i.inboxId === inboxId)) return c;
    }
    return undefined;
  });
}
const room = () => channelRooms(s);
const messagesOf = (id: string) => room().messagesOf(id);
const deliveries = (id: string) => room().deliveries(id);
const reply = (conversationId: string, body: string) => room().reply(conversationId, body);
const sentTo = (psid: string) => fake.sent.filter((m) => m.body.recipient.id === psid);
const customerTexts = async (id: string) =>
  (await messagesOf(id)).filter((m) => m.authorKind === 'contact').map((m) => m.bodyText);

describe('Messenger and Instagram', () => {
  it('answers the subscription handshake only with the inbox verify token', async () => {
    const ok = await fetch(`${hookUrl}?hub.mode=subscribe&hub.verify_token=${verifyToken}&hub.challenge=8675309`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('8675309');
    expect((await fetch(`${hookUrl}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`)).status).toBe(403);
    expect((await fetch(`${s.url}/api/v1/channels/messenger/not-an-id?hub.mode=subscribe`)).status).toBe(404);
  });

  it('stores a text under the PSID with the profile name, once per mid; refuses bad signatures with nothing stored', async () => {
    fake.profiles.set('7001', { first_name: 'Sam', last_name: 'Okafor' });
    const payload = event('7001', { message: { mid: mid(), text: 'Is the blue jacket in stock?' } });
    expect((await fake.webhook(hookUrl, payload, { signature: null })).status).toBe(403);
    expect((await fake.webhook(hookUrl, payload, { appSecret: 'f'.repeat(32) })).status).toBe(403);
    const before = await s.deps.db.selectFrom('channel_messages').select('id').where('inbox_id', '=', inboxId).execute();
    expect(before).toHaveLength(0);
    expect((await fake.webhook(hookUrl, payload)).status).toBe(200);
    expect((await fake.webhook(hookUrl, payload)).status).toBe(200);
    const conv = await conversationOf('7001');
    const contact = await s.req('GET', `/contacts/${conv.contactId}`, { auth: s.admin });
    expect(contact.body.name).toBe('Sam Okafor');
    expect(await customerTexts(conv.id)).toEqual(['Is the blue jacket in stock?']);
    // The next message threads into the same room; our own echoes and other pages' entries are not stored.
    await inbound('7001', { text: 'size M' });
    await fake.webhook(hookUrl, event('7001', { message: { mid: mid(), text: 'our echo', is_echo: true } }));
    await fake.webhook(
      hookUrl,
      messengerPayload('page', '999999999', [
        { sender: { id: '7001' }, recipient: { id: '999999999' }, message: { mid: mid(), text: 'other page' } },
      ]),
    );
    await until(async () => ((await customerTexts(conv.id)).length === 2 ? true : undefined));
    await s.settle();
    expect(await customerTexts(conv.id)).toEqual(['Is the blue jacket in stock?', 'size M']);
    expect((await deliveries(conv.id)).map((d) => d.network)).toEqual(['messenger', 'messenger']);
  });

  it('Instagram messages come under the IGSID, a contact of their own', async () => {
    fake.profiles.set('8001', { name: 'Mia Rossi' });
    expect((await inbound('8001', { text: 'ciao from Instagram' }, 'instagram')).status).toBe(200);
    const conv = await conversationOf('8001', 'instagram');
    expect(await customerTexts(conv.id)).toEqual(['ciao from Instagram']);
    // The agent is told it came on Instagram, not Messenger (they share the provider and the webhook).
    expect((await deliveries(conv.id)).map((d) => `${d.direction}:${d.network}`)).toEqual(['in:instagram']);
    expect((await s.req('GET', `/contacts/${conv.contactId}`, { auth: s.admin })).body.name).toBe('Mia Rossi');
  });

  it('sends replies through the Send API and records delivered and read', async () => {
    await inbound('7002', { text: 'hello' });
    const conv = await conversationOf('7002');
    const messageId = await reply(conv.id, '<p>Hi <b>there</b>! See <a href="https://shop.test/jackets">our jackets</a></p>');
    const sent = await until(() => sentTo('7002')[0]);
    expect(sent.auth).toBe(`Bearer ${fake.pageAccessToken}`);
    expect(sent.body).toEqual({
      recipient: { id: '7002' },
      messaging_type: 'RESPONSE',
      message: { text: 'Hi there! See our jackets (https://shop.test/jackets)' },
    });
    await until(async () => (await deliveries(conv.id)).find((d) => d.messageId === messageId && d.status === 'sent'));
    const out = await s.deps.db
      .selectFrom('channel_messages')
      .select('external_id')
      .where('message_id', '=', messageId)
      .executeTakeFirstOrThrow();
    await fake.webhook(hookUrl, event('7002', { delivery: { mids: [out.external_id], watermark: Date.now() } }));
    expect((await deliveries(conv.id)).find((d) => d.messageId === messageId)!.status).toBe('delivered');
    await fake.webhook(hookUrl, event('7002', { read: { watermark: Date.now() + 1000 } }));
    expect((await deliveries(conv.id)).find((d) => d.messageId === messageId)!.status).toBe('read');
  });

  it("sends an agent's file as an attachment message, by a signed link to our upload", async () => {
    await inbound('7010', { text: 'can you send the receipt?' });
    const conv = await conversationOf('7010');
    const form = new FormData();
    form.append('file', new File([new Uint8Array(PNG)], 'receipt.png', { type: 'image/png' }));
    const up = await fetch(`${s.url}/api/v1/uploads`, {
      method: 'POST',
      headers: { cookie: s.admin.cookie, 'x-csrf-token': s.admin.csrfToken },
      body: form,
    });
    expect(up.status).toBe(201);
    await room().reply(conv.id, 'Here it is', { attachments: [await up.json()] });
    const file = await until(() => sentTo('7010').find((m) => m.body.message.attachment));
    expect(file.auth).toBe(`Bearer ${fake.pageAccessToken}`);
    expect(file.body.messaging_type).toBe('RESPONSE');
    expect(file.body.message.text).toBeUndefined();
    expect(file.body.message.attachment).toMatchObject({ type: 'image', payload: { is_reusable: false } });
    const url = file.body.message.attachment.payload.url as string;
    expect(url).toMatch(/sig=/);
    // Meta fetches it from the link: the signed link serves the file's bytes.
    const fetched = await fetch(url.replace(/^https?:\/\/[^/]+/, s.url));
    expect(fetched.status).toBe(200);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(PNG)).toBe(true);
    // The text goes as its own message, before the file.
    const texts = sentTo('7010').filter((m) => m.body.message.text === 'Here it is');
    expect(texts).toHaveLength(1);
    expect(fake.sent.indexOf(texts[0]!)).toBeLessThan(fake.sent.indexOf(file));
  });

  it('takes attachments from the configured hosts only', async () => {
    fake.files.set('photo.png', { bytes: PNG, mimeType: 'image/png' });
    await inbound('7003', { attachments: [{ type: 'image', payload: { url: `${fake.cdn}/photo.png` } }] });
    const conv = await conversationOf('7003');
    const photo = await until(async () => (await messagesOf(conv.id)).find((m) => m.attachments.length));
    expect(photo.attachments.map((a) => a.contentType)).toEqual(['image/png']);
    // The same file on a host that is not listed: refused (no SSRF), the agent is told.
    await inbound('7003', {
      text: 'and this one',
      attachments: [{ type: 'image', payload: { url: `${fake.cdn.replace('127.0.0.1', 'localhost')}/photo.png` } }],
    });
    const refused = await until(async () => (await messagesOf(conv.id)).find((m) => m.bodyText.startsWith('and this one')));
    expect(refused.bodyText).toContain('could not be received');
    expect(refused.attachments).toHaveLength(0);
  });

  it('outside the 24-hour window sends nothing plain, but a reply with a message tag', async () => {
    await inbound('7004', { text: 'old question' });
    const conv = await conversationOf('7004');
    expect((await s.req('GET', `/conversations/${conv.id}/messenger/window`, { auth: s.admin })).body.open).toBe(true);
    await sql`UPDATE channel_messages SET created_at = now() - interval '25 hours' WHERE conversation_id = ${conv.id}`.execute(
      s.deps.db,
    );
    const closed = await s.req('GET', `/conversations/${conv.id}/messenger/window`, { auth: s.admin });
    expect(closed.body).toMatchObject({ open: false });
    expect(closed.body.tags).toContain('HUMAN_AGENT');
    const late = await reply(conv.id, 'Sorry for the wait');
    const refused = await until(async () => (await deliveries(conv.id)).find((d) => d.messageId === late));
    expect(refused.status).toBe('failed');
    expect(refused.reason).toContain('24-hour window');
    expect(sentTo('7004')).toHaveLength(0);

    const tagged = await s.req('POST', `/conversations/${conv.id}/messenger/tagged`, {
      auth: s.admin,
      body: { body: 'Your jacket is back in stock', tag: 'HUMAN_AGENT' },
    });
    expect(tagged.status).toBe(201);
    const sent = await until(() => sentTo('7004')[0]);
    expect(sent.body).toEqual({
      recipient: { id: '7004' },
      messaging_type: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
      message: { text: 'Your jacket is back in stock' },
    });
    await s.settle();
    expect(sentTo('7004')).toHaveLength(1);

    // After 7 days HUMAN_AGENT is no longer allowed.
    await sql`UPDATE channel_messages SET created_at = now() - interval '8 days' WHERE conversation_id = ${conv.id} AND direction = 'in'`.execute(
      s.deps.db,
    );
    const week = await s.req('GET', `/conversations/${conv.id}/messenger/window`, { auth: s.admin });
    expect(week.body.tags).not.toContain('HUMAN_AGENT');
    const tooLate = await s.req('POST', `/conversations/${conv.id}/messenger/tagged`, {
      auth: s.admin,
      body: { body: 'hello?', tag: 'HUMAN_AGENT' },
    });
    expect(tooLate.status).toBe(400);
  });

  it("counts the window from the event's timestamp: a message redelivered a day late gets a tag, not a plain reply", async () => {
    const wroteAt = Date.now() - 25 * 3600 * 1000;
    await fake.webhook(hookUrl, event('7006', { message: { mid: mid(), text: 'sent yesterday' }, timestamp: wroteAt }));
    const conv = await conversationOf('7006');
    const win = await s.req('GET', `/conversations/${conv.id}/messenger/window`, { auth: s.admin });
    expect(win.body.open).toBe(false);
    expect(new Date(win.body.closesAt).getTime()).toBe(wroteAt + 24 * 3600 * 1000);
    expect(win.body.tags).toContain('HUMAN_AGENT');
    const late = await reply(conv.id, 'Sorry for the wait');
    const refused = await until(async () => (await deliveries(conv.id)).find((d) => d.messageId === late));
    expect(refused.status).toBe('failed');
    expect(refused.reason).toContain('24-hour window');
    expect(sentTo('7006')).toHaveLength(0);
  });

  it('retries a temporary failure and fails a refusal with the Graph error', async () => {
    await inbound('7005', { text: 'hi' });
    const conv = await conversationOf('7005');
    fake.failNext.push({ status: 500, code: 1200, message: 'Temporary send message failure' });
    const first = await reply(conv.id, 'one');
    const ok = await until(async () => (await deliveries(conv.id)).find((d) => d.messageId === first && d.status === 'sent'));
    expect(ok.attempts).toBe(2);
    fake.failNext.push({ status: 400, code: 551, message: 'This person isn\u2019t available right now.' });
    const second = await reply(conv.id, 'two');
    const failed = await until(async () =>
      (await deliveries(conv.id)).find((d) => d.messageId === second && d.status === 'failed'),
    );
    expect(failed.reason).toContain('551');
    expect(failed.attempts).toBe(1);
  });

  it('an outage that outlasts the retries fails the reply with the reason, sending nothing', async () => {
    await inbound('7007', { text: 'anyone there?' });
    const conv = await conversationOf('7007');
    // SMS_MAX_ATTEMPTS is 3 here: three temporary failures in a row use every try.
    for (let i = 0; i < 3; i++) fake.failNext.push({ status: 500, code: 2, message: 'Service temporarily unavailable' });
    const down = await reply(conv.id, 'Yes, we are here');
    const gaveUp = await until(async () =>
      (await deliveries(conv.id)).find((d) => d.messageId === down && d.status === 'failed'),
    );
    expect(gaveUp.attempts).toBe(3);
    expect(gaveUp.reason).toContain('500');
    expect(gaveUp.reason).toContain('Service temporarily unavailable');
    expect(sentTo('7007')).toHaveLength(0);
  });

  it('"send test" in the settings sends one message and shows the provider answer', async () => {
    const ok = await s.req('POST', `/inboxes/${inboxId}/messenger/test`, {
      auth: s.admin,
      body: { to: '7099', text: 'Test from AutoCRM' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ok: true });
    expect(ok.body.externalId).toMatch(/^m_/);
    expect(sentTo('7099')[0]!.body.message).toEqual({ text: 'Test from AutoCRM' });
    fake.failNext.push({ status: 400, code: 100, message: 'No matching user found' });
    const bad = await s.req('POST', `/inboxes/${inboxId}/messenger/test`, { auth: s.admin, body: { to: '7100', text: 'x' } });
    expect(bad.body).toMatchObject({ ok: false, externalId: null });
    expect(bad.body.answer).toContain('No matching user found');
  });
});
