import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelRooms } from './helpers/channel-rooms';
import { type FakeWhatsApp, startFakeWhatsApp, whatsAppPayload } from './helpers/fake-whatsapp';
import { startTestServer, type TestServer, waitFor } from './helpers/test-server';

// WhatsApp Cloud API end to end against a loopback stand-in that speaks Meta's protocol: the webhook
// handshake, signed deliveries, messages of every kind in, replies and templates out, delivery and
// read states, the 24-hour window, and refusals at the edge.

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

let s: TestServer;
let fake: FakeWhatsApp;
let inboxId: string;
let hookUrl: string;
let verifyToken: string;
let seq = 0;
const wamid = () => `wamid.HBgM${String(++seq).padStart(20, '0')}`;
const until = async <T>(check: () => Promise<T | undefined> | T | undefined) => (await waitFor(check)) as T;

beforeAll(async () => {
  fake = await startFakeWhatsApp();
  s = await startTestServer({
    env: { WHATSAPP_GRAPH_BASE_URL: fake.url, WHATSAPP_MEDIA_HOSTS: '127.0.0.1', SMS_RETRY_BASE_MS: '40', SMS_MAX_ATTEMPTS: '3' },
  });
  const inbox = await s.req('POST', '/inboxes', {
    auth: s.admin,
    body: { name: 'WhatsApp', channel: 'whatsapp', members: [s.admin.userId] },
  });
  expect(inbox.status).toBe(201);
  inboxId = inbox.body.id;
  const set = await s.req('PATCH', `/inboxes/${inboxId}/whatsapp`, {
    auth: s.admin,
    body: {
      phoneNumberId: fake.phoneNumberId,
      accessToken: fake.accessToken,
      appSecret: fake.appSecret,
      templates: [{ name: 'order_update', language: 'en_US', body: 'Hi {{1}}, your order {{2}} has shipped.' }],
    },
  });
  expect(set.status).toBe(200);
  expect(set.text).not.toContain(fake.accessToken);
  expect(set.text).not.toContain(fake.appSecret);
  await channelRooms(s).expectSealed(inboxId, [fake.accessToken, fake.appSecret]);
  verifyToken = set.body.verifyToken;
  hookUrl = `${s.url}/api/v1/channels/whatsapp/${inboxId}`;
  expect(set.body.webhookUrl).toMatch(new RegExp(`/api/v1/channels/whatsapp/${inboxId}$`));
});

afterAll(async () => {
  await s?.close();
  await fake?.close();
});

const inbound = (waId: string, message: Record<string, unknown>, name = 'Ana') =>
  fake.webhook(
    hookUrl,
    whatsAppPayload(fake.phoneNumberId, {
      contacts: [{ profile: { name }, wa_id: waId }],
      messages: [{ from: waId, id: wamid(), timestamp: String(Math.floor(Date.now() / 1000)), ...message }],
    }),
  );
async function conversationOf(phone: string) {
  return until(async () => {
    const res = await s.req('GET', `/conversations?inbox=${inboxId}&limit=100`, { auth: s.admin });
    for (const c of res.body.data) {
      const contact = await s.req('GET', `/contacts/${c.contactId}`, { auth: s.admin });
      if (contact.body.phone === phone) return { ...c, contact: contact.body } as { id: string; contact: { name: string } };
    }
    return undefined;
  });
}
const room = () => channelRooms(s);
const messagesOf = (id: string) => room().messagesOf(id);
const deliveries = (id: string) => room().deliveries(id);
const reply = (conversationId: string, body: string, extra: Record<string, unknown> = {}) =>
  room().reply(conversationId, body, extra);
const sentTo = (waId: string) => fake.sent.filter((m) => m.body.to === waId);

describe('WhatsApp Cloud API', () => {
  it('answers the subscription handshake only with the inbox verify token', async () => {
    const ok = await fetch(`${hookUrl}?hub.mode=subscribe&hub.verify_token=${verifyToken}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const bad = await fetch(`${hookUrl}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`);
    expect(bad.status).toBe(403);
  });

  it('stores a text under the number and profile name, once per message id; refuses bad signatures', async () => {
    const payload = whatsAppPayload(fake.phoneNumberId, {
      contacts: [{ profile: { name: 'Ana Lima' }, wa_id: '5511987650001' }],
      messages: [
        { from: '5511987650001', id: wamid(), timestamp: '1733400000', type: 'text', text: { body: 'Olá! Where is my order?' } },
      ],
    });
    expect((await fake.webhook(hookUrl, payload, { signature: null })).status).toBe(403);
    expect((await fake.webhook(hookUrl, payload, { appSecret: 'f'.repeat(32) })).status).toBe(403);
    expect((await fake.webhook(hookUrl, payload)).status).toBe(200);
    expect((await fake.webhook(hookUrl, payload)).status).toBe(200);
    const conv = await conversationOf('+5511987650001');
    expect(conv.contact.name).toBe('Ana Lima');
    const texts = (await messagesOf(conv.id)).filter((m) => m.authorKind === 'contact').map((m) => m.bodyText);
    expect(texts).toEqual(['Olá! Where is my order?']);
    expect((await deliveries(conv.id)).map((d) => `${d.direction}:${d.network}`)).toEqual(['in:whatsapp']);
  });

  it('sends replies with the Cloud API request shape and records delivered and read', async () => {
    await inbound('5511987650002', { type: 'text', text: { body: 'hello' } });
    const conv = await conversationOf('+5511987650002');
    const messageId = await reply(conv.id, '<p>Hi <b>Ana</b>!</p>');
    const sent = await until(() => sentTo('5511987650002')[0]);
    expect(sent.auth).toBe(`Bearer ${fake.accessToken}`);
    expect(sent.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '5511987650002',
      type: 'text',
      text: { body: 'Hi Ana!', preview_url: false },
    });
    const row = await until(async () =>
      (await deliveries(conv.id)).find((d) => d.messageId === messageId && d.status === 'sent'),
    );
    expect(row).toBeTruthy();
    const out = await s.deps.db
      .selectFrom('channel_messages')
      .select('external_id')
      .where('message_id', '=', messageId)
      .executeTakeFirstOrThrow();
    const status = (st: string) =>
      fake.webhook(
        hookUrl,
        whatsAppPayload(fake.phoneNumberId, {
          statuses: [{ id: out.external_id, status: st, timestamp: '1', recipient_id: '5511987650002' }],
        }),
      );
    await status('read');
    await status('delivered');
    expect((await deliveries(conv.id)).find((d) => d.messageId === messageId)!.status).toBe('read');
  });

  it("records Meta's failed status with its error under the reply", async () => {
    await inbound('5511987650008', { type: 'text', text: { body: 'hello again' } });
    const conv = await conversationOf('+5511987650008');
    const messageId = await reply(conv.id, 'On its way');
    await until(async () => (await deliveries(conv.id)).find((d) => d.messageId === messageId && d.status === 'sent'));
    const out = await s.deps.db
      .selectFrom('channel_messages')
      .select('external_id')
      .where('message_id', '=', messageId)
      .executeTakeFirstOrThrow();
    const res = await fake.webhook(
      hookUrl,
      whatsAppPayload(fake.phoneNumberId, {
        statuses: [
          {
            id: out.external_id,
            status: 'failed',
            timestamp: String(Math.floor(Date.now() / 1000)),
            recipient_id: '5511987650008',
            errors: [{ code: 131047, title: 'Re-engagement message' }],
          },
        ],
      }),
    );
    expect(res.status).toBe(200);
    const failed = (await deliveries(conv.id)).find((d) => d.messageId === messageId)!;
    expect(failed.status).toBe('failed');
    expect(failed.reason).toContain('131047');
  });

  it('takes media from the media host only, and locations and button answers as text', async () => {
    fake.media.set('MEDIA1', { bytes: PNG, mimeType: 'image/png' });
    await inbound('5511987650003', { type: 'image', image: { id: 'MEDIA1', mime_type: 'image/png', caption: 'the box' } });
    const conv = await conversationOf('+5511987650003');
    const photo = await until(async () => (await messagesOf(conv.id)).find((m) => m.bodyText === 'the box'));
    expect(photo.attachments.map((a) => a.contentType)).toEqual(['image/png']);
    fake.media.set('MEDIA2', { bytes: PNG, mimeType: 'image/png', host: 'localhost' });
    await inbound('5511987650003', { type: 'image', image: { id: 'MEDIA2', mime_type: 'image/png' } });
    await inbound('5511987650003', { type: 'location', location: { latitude: -23.55, longitude: -46.63, name: 'Shop' } });
    await inbound('5511987650003', {
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: 'b1', title: 'Yes, please' } },
    });
    const texts = await until(async () => {
      const m = (await messagesOf(conv.id)).filter((x) => x.authorKind === 'contact');
      return m.length === 4 ? m.map((x) => x.bodyText) : undefined;
    });
    expect(texts[1]).toContain('could not be received');
    expect(texts[2]).toMatch(/^📍 Shop https:\/\/www\.openstreetmap\.org\/\?mlat=-23\.55&mlon=-46\.63$/);
    expect(texts[3]).toBe('Yes, please');
  });

  it("sends an agent's files as media messages: an image by signed link, any other file as a document", async () => {
    await inbound('5511987650009', { type: 'text', text: { body: 'send me the label and the invoice' } });
    const conv = await conversationOf('+5511987650009');
    const upload = async (name: string, type: string, bytes: Uint8Array) => {
      const form = new FormData();
      form.append('file', new File([bytes], name, { type }));
      const up = await fetch(`${s.url}/api/v1/uploads`, {
        method: 'POST',
        headers: { cookie: s.admin.cookie, 'x-csrf-token': s.admin.csrfToken },
        body: form,
      });
      expect(up.status).toBe(201);
      return up.json();
    };
    const pdf = new TextEncoder().encode('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    await reply(conv.id, 'Here you are', {
      attachments: [
        await upload('label.png', 'image/png', new Uint8Array(PNG)),
        await upload('invoice.pdf', 'application/pdf', pdf),
      ],
    });
    const out = await until(() => {
      const m = sentTo('5511987650009');
      return m.length >= 3 ? m : undefined;
    });
    expect(out[0]!.body).toMatchObject({ type: 'text', text: { body: 'Here you are' } });
    const image = out.find((m) => m.body.type === 'image')!;
    const doc = out.find((m) => m.body.type === 'document')!;
    expect(image.body.image.link).toMatch(/sig=/);
    expect(doc.body.document).toMatchObject({ filename: 'invoice.pdf' });
    // The links serve the files to whoever holds them (the provider fetches them).
    const fetched = await fetch(image.body.image.link.replace(/^http:\/\/[^/]+/, s.url));
    expect(fetched.status).toBe(200);
    expect(Buffer.from(await fetched.arrayBuffer())).toEqual(PNG);
  });

  it('outside the 24-hour window sends nothing free-form but an approved template', async () => {
    await inbound('5511987650004', { type: 'text', text: { body: 'old question' } });
    const conv = await conversationOf('+5511987650004');
    const open = await s.req('GET', `/conversations/${conv.id}/whatsapp/window`, { auth: s.admin });
    expect(open.body.open).toBe(true);
    // The customer last wrote 25 hours ago.
    await sql`UPDATE channel_messages SET created_at = now() - interval '25 hours' WHERE conversation_id = ${conv.id}`.execute(
      s.deps.db,
    );
    const closed = await s.req('GET', `/conversations/${conv.id}/whatsapp/window`, { auth: s.admin });
    expect(closed.body).toMatchObject({ open: false, templates: [{ name: 'order_update' }] });
    const late = await reply(conv.id, 'Sorry for the wait');
    const refused = await until(async () => (await deliveries(conv.id)).find((d) => d.messageId === late));
    expect(refused.status).toBe('failed');
    expect(refused.reason).toContain('24-hour window');
    expect(sentTo('5511987650004')).toHaveLength(0);

    const wrong = await s.req('POST', `/conversations/${conv.id}/whatsapp/template`, {
      auth: s.admin,
      body: { name: 'order_update', params: ['Ana'] },
    });
    expect(wrong.status).toBe(400);
    const unknown = await s.req('POST', `/conversations/${conv.id}/whatsapp/template`, {
      auth: s.admin,
      body: { name: 'nope', params: [] },
    });
    expect(unknown.status).toBe(400);
    const ok = await s.req('POST', `/conversations/${conv.id}/whatsapp/template`, {
      auth: s.admin,
      body: { name: 'order_update', params: ['Ana', '#4711'] },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.bodyText).toBe('Hi Ana, your order #4711 has shipped.');
    const sent = await until(() => sentTo('5511987650004')[0]);
    expect(sent.body).toMatchObject({
      type: 'template',
      template: {
        name: 'order_update',
        language: { code: 'en_US' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Ana' },
              { type: 'text', text: '#4711' },
            ],
          },
        ],
      },
    });
    // The template went once: the message listener left it to the template command.
    await s.settle();
    expect(sentTo('5511987650004')).toHaveLength(1);
  });

  it("counts the window from Meta's timestamp: a message redelivered a day late does not reopen it", async () => {
    // Meta retries a webhook for days after an outage of ours: this one was sent 25 hours ago.
    const wroteAt = Math.floor(Date.now() / 1000) - 25 * 3600;
    await inbound('5511987650006', { type: 'text', text: { body: 'sent yesterday' }, timestamp: String(wroteAt) });
    const conv = await conversationOf('+5511987650006');
    const win = await s.req('GET', `/conversations/${conv.id}/whatsapp/window`, { auth: s.admin });
    expect(win.body.open).toBe(false);
    expect(new Date(win.body.closesAt).getTime()).toBe((wroteAt + 24 * 3600) * 1000);
    const late = await reply(conv.id, 'Sorry for the wait');
    const refused = await until(async () => (await deliveries(conv.id)).find((d) => d.messageId === late));
    expect(refused.status).toBe('failed');
    expect(refused.reason).toContain('24-hour window');
    // A sender clock ahead of ours never stretches the window past our own receive time.
    await inbound('5511987650006', { type: 'text', text: { body: 'from the future' }, timestamp: String(wroteAt + 48 * 3600) });
    const reopened = await until(async () => {
      const w = await s.req('GET', `/conversations/${conv.id}/whatsapp/window`, { auth: s.admin });
      return w.body.open ? w.body : undefined;
    });
    expect(new Date(reopened.closesAt).getTime()).toBeLessThanOrEqual(Date.now() + 24 * 3600 * 1000);
    await s.settle();
    expect(sentTo('5511987650006')).toHaveLength(0);
  });

  it('"send test" sends one message through the Cloud API and shows Meta\'s answer or error', async () => {
    const ok = await s.req('POST', `/inboxes/${inboxId}/whatsapp/test`, {
      auth: s.admin,
      body: { to: '+55 11 98765-0099', text: 'Test from AutoCRM' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ok: true });
    expect(ok.body.externalId).toMatch(/^wamid\./);
    const [sent] = sentTo('5511987650099');
    expect(sent!.auth).toBe(`Bearer ${fake.accessToken}`);
    expect(sent!.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '5511987650099',
      type: 'text',
      text: { body: 'Test from AutoCRM', preview_url: false },
    });
    fake.failNext.push({ status: 400, code: 131030, message: 'Recipient phone number not in allowed list' });
    const bad = await s.req('POST', `/inboxes/${inboxId}/whatsapp/test`, { auth: s.admin, body: { to: '+5511987650098' } });
    expect(bad.body).toMatchObject({ ok: false, externalId: null });
    expect(bad.body.answer).toContain('131030');
    expect(bad.body.answer).toContain('not in allowed list');
    expect(sentTo('5511987650098')).toHaveLength(0);
  });

  it('retries throttling and fails a refusal with the Graph error', async () => {
    await inbound('5511987650005', { type: 'text', text: { body: 'hi' } });
    const conv = await conversationOf('+5511987650005');
    fake.failNext.push({ status: 400, code: 130429, message: 'Rate limit hit' });
    const first = await reply(conv.id, 'one');
    await until(async () => (await deliveries(conv.id)).find((d) => d.messageId === first && d.status === 'sent'));
    fake.failNext.push({ status: 400, code: 131026, message: 'Message undeliverable' });
    const second = await reply(conv.id, 'two');
    const failed = await until(async () =>
      (await deliveries(conv.id)).find((d) => d.messageId === second && d.status === 'failed'),
    );
    expect(failed.reason).toContain('131026');
  });

  it('an outage that outlasts the retries fails the reply with the reason, sending nothing', async () => {
    await inbound('5511987650007', { type: 'text', text: { body: 'anyone there?' } });
    const conv = await conversationOf('+5511987650007');
    // SMS_MAX_ATTEMPTS is 3 here: three temporary failures in a row use every try.
    for (let i = 0; i < 3; i++) fake.failNext.push({ status: 503, code: 2, message: 'Service temporarily unavailable' });
    const down = await reply(conv.id, 'Yes, we are here');
    const gaveUp = await until(async () =>
      (await deliveries(conv.id)).find((d) => d.messageId === down && d.status === 'failed'),
    );
    expect(gaveUp.attempts).toBe(3);
    expect(gaveUp.reason).toContain('503');
    expect(gaveUp.reason).toContain('Service temporarily unavailable');
    expect(sentTo('5511987650007')).toHaveLength(0);
  });
});
