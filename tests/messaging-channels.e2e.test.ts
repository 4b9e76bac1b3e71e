import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from './helpers/browser';
import { type FakeTwilio, startFakeTwilio } from './helpers/fake-twilio';
import { type FakeWhatsApp, startFakeWhatsApp, whatsAppPayload } from './helpers/fake-whatsapp';
import { ADMIN, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// An admin connects an SMS and a WhatsApp inbox to Twilio in the settings page, a customer texts, and an agent
// answers from the workspace in a real Chromium; the reply goes out through the Twilio stand-in and
// its delivery state follows live in the room.

const SHOTS = process.env.SMS_SCREENSHOTS ?? join(tmpdir(), 'autocrm-sms-screens');
const OUR_NUMBER = '+15005550006';

let s: TestServer;
let fake: FakeTwilio;
let wa: FakeWhatsApp;
let browser: Browser;

describe.skipIf(!existsSync(CHROMIUM))('SMS conversation in the workspace (browser)', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    fake = await startFakeTwilio();
    wa = await startFakeWhatsApp();
    s = await startTestServer({
      env: { TWILIO_API_BASE_URL: fake.url, TWILIO_MEDIA_HOSTS: '127.0.0.1', WHATSAPP_GRAPH_BASE_URL: wa.url },
    });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await fake?.close();
    await wa?.close();
  });

  async function signIn(viewport = { width: 1280, height: 800 }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    context.setDefaultTimeout(60_000);
    const page = await context.newPage();
    await page.goto(`${s.url}/login`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.pathname !== '/login');
    return page;
  }

  it('connects Twilio in settings, then an agent answers a text and sees it delivered', async () => {
    const inbox = await s.req('POST', '/inboxes', {
      auth: s.admin,
      body: { name: 'Text line', channel: 'sms', members: [s.admin.userId] },
    });
    expect(inbox.status).toBe(201);
    const page = await signIn();
    await page.goto(`${s.url}/settings/inboxes/${inbox.body.id}`);
    const card = page.locator('[data-sms-settings]');
    await card.locator('[data-sms-connected="false"]').waitFor();
    // Copy works only once the page's script runs: after that, typed values are not reset by hydration.
    await card.getByRole('button', { name: 'Copy' }).click();
    await card.getByRole('button', { name: 'Copied ✓' }).waitFor();
    // A wrong SID is refused under its field, nothing saved.
    await card.getByLabel('Account SID').fill('AC-not-a-sid');
    await card.getByLabel('Auth token').fill(fake.authToken);
    await card.getByLabel('Send from number').fill(OUR_NUMBER);
    await card.locator('[data-sms-save]').click();
    await card.locator('.error', { hasText: 'Account SID' }).waitFor();
    await card.getByLabel('Account SID').fill(fake.accountSid);
    await card.getByLabel('Auth token').fill(fake.authToken);
    await card.locator('[data-sms-save]').click();
    await card.locator('[data-sms-connected="true"]').waitFor();
    const webhook = await card.locator('[data-sms-webhook]').inputValue();
    // The URL to paste is on the address the admin uses (no PUBLIC_URL here), not an internal one.
    expect(webhook).toBe(`${s.url}/api/v1/channels/twilio/${inbox.body.id}/sms`);
    expect(await page.content()).not.toContain(fake.authToken);
    await page.screenshot({ path: join(SHOTS, 'sms-settings-1280.png'), fullPage: true });

    const inboundUrl = webhook;
    const res = await fake.webhook(inboundUrl, {
      MessageSid: `SM${'1'.repeat(32)}`,
      From: '+4915122223333',
      To: OUR_NUMBER,
      Body: 'Is my parcel on the way?',
      NumMedia: '0',
    });
    expect(res.status).toBe(200);
    const conv = await waitFor(async () => {
      const list = (await s.req('GET', `/conversations?inbox=${inbox.body.id}&limit=10`, { auth: s.admin })).body.data as {
        id: string;
      }[];
      return list[0];
    });

    await page.goto(`${s.url}/inbox/${conv!.id}`);
    await page.locator('li.msg.contact [data-channel-status]', { hasText: '+4915122223333' }).waitFor();
    const editor = page.locator('.editor');
    await editor.click();
    await page.keyboard.type('Yes, it arrives tomorrow.');
    await page.locator('[data-send]').click();
    const sent = await waitFor(() => fake.sent.find((m) => m.form.get('Body') === 'Yes, it arrives tomorrow.'));
    expect(sent!.form.get('To')).toBe('+4915122223333');
    await page.locator('li.msg.agent [data-channel-status="sent"]').waitFor({ timeout: 15_000 });
    const statusUrl = sent!.form.get('StatusCallback')!.replace(/^https?:\/\/[^/]+/, s.url);
    // Twilio signs the callback URL it was given; our server checks it against the address it was called on.
    const cb = await fake.webhook(statusUrl, { MessageSid: sent!.sid, MessageStatus: 'delivered' });
    expect(cb.status).toBe(204);
    await page.locator('li.msg.agent [data-channel-status="delivered"]').waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(SHOTS, 'sms-room-1280.png') });

    const phone = await signIn({ width: 390, height: 844 });
    await phone.goto(`${s.url}/inbox/${conv!.id}`);
    await phone.locator('li.msg.agent [data-channel-status="delivered"]').waitFor();
    await phone.screenshot({ path: join(SHOTS, 'sms-room-390.png') });
  }, 240_000);

  it('connects WhatsApp, answers in the window, and sends a template once it has closed', async () => {
    const inbox = await s.req('POST', '/inboxes', {
      auth: s.admin,
      body: { name: 'WhatsApp line', channel: 'whatsapp', members: [s.admin.userId] },
    });
    const page = await signIn();
    await page.goto(`${s.url}/settings/inboxes/${inbox.body.id}`);
    const card = page.locator('[data-wa-settings]');
    // Adding a template row needs the page's script: once it is there, typed values are not reset by hydration.
    await card.locator('[data-wa-add-template]').click();
    await card.getByLabel('Template name').waitFor();
    await card.getByLabel('Phone number ID').fill(wa.phoneNumberId);
    await card.getByLabel('Access token').fill(wa.accessToken);
    await card.getByLabel('App secret').fill(wa.appSecret);
    await card.getByLabel('Template name').fill('order_update');
    await card.getByLabel('Language').fill('en_US');
    await card.getByLabel('Body').fill('Hi {{1}}, your order {{2}} has shipped.');
    await card.locator('[data-wa-save]').click();
    await card.locator('[data-wa-connected="true"]').waitFor();
    const verifyToken = await card.locator('[data-wa-verify-token]').inputValue();
    const hook = await card.locator('[data-wa-webhook]').inputValue();
    expect(hook).toBe(`${s.url}/api/v1/channels/whatsapp/${inbox.body.id}`);
    const handshake = await fetch(`${hook}?hub.mode=subscribe&hub.verify_token=${verifyToken}&hub.challenge=42`);
    expect(await handshake.text()).toBe('42');
    await page.screenshot({ path: join(SHOTS, 'whatsapp-settings-1280.png'), fullPage: true });

    await wa.webhook(
      hook,
      whatsAppPayload(wa.phoneNumberId, {
        contacts: [{ profile: { name: 'Ana Lima' }, wa_id: '5511987650009' }],
        messages: [{ from: '5511987650009', id: 'wamid.e2e1', type: 'text', text: { body: 'Where is my order?' } }],
      }),
    );
    const conv = await waitFor(async () => {
      const list = (await s.req('GET', `/conversations?inbox=${inbox.body.id}&limit=10`, { auth: s.admin })).body.data as {
        id: string;
      }[];
      return list[0];
    });
    await page.goto(`${s.url}/inbox/${conv!.id}`);
    await page.locator('[data-wa-window="open"]').waitFor();
    await page.locator('.editor').click();
    await page.keyboard.type('Checking now!');
    await page.locator('[data-send]').click();
    await waitFor(() => wa.sent.find((m) => m.body.text?.body === 'Checking now!'));
    await page.locator('li.msg.agent [data-channel-status="sent"]').waitFor({ timeout: 15_000 });

    // A day later the window has closed: the room says so and offers the template.
    await sql`UPDATE channel_messages SET created_at = now() - interval '25 hours' WHERE conversation_id = ${conv!.id} AND direction = 'in'`.execute(
      s.deps.db,
    );
    await page.reload();
    const closed = page.locator('[data-wa-window="closed"]');
    await closed.waitFor();
    await closed.locator('[data-wa-template]').selectOption('order_update');
    await closed.locator('[data-wa-param="1"]').fill('Ana');
    await closed.locator('[data-wa-param="2"]').fill('#4711');
    expect(await closed.locator('[data-wa-preview]').textContent()).toBe('Hi Ana, your order #4711 has shipped.');
    await page.screenshot({ path: join(SHOTS, 'whatsapp-template-1280.png') });
    await closed.locator('[data-wa-send-template]').click();
    const tpl = await waitFor(() => wa.sent.find((m) => m.body.type === 'template'));
    expect(tpl!.body.template.name).toBe('order_update');
    await page.locator('li.msg.agent', { hasText: 'Hi Ana, your order #4711 has shipped.' }).waitFor();
    const phone = await signIn({ width: 390, height: 844 });
    await phone.goto(`${s.url}/inbox/${conv!.id}`);
    await phone.locator('[data-wa-window="closed"]').waitFor();
    await phone.screenshot({ path: join(SHOTS, 'whatsapp-room-390.png') });
  }, 240_000);
});
