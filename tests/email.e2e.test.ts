import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from './helpers/browser';
import { startImapServer } from './helpers/imap-server';
import { mailClient, startSmtpSink } from './helpers/smtp-sink';
import { ADMIN, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// An agent answers an email conversation in a real Chromium: the customer's mail arrives over SMTP,
// the workspace shows its subject and sender as text, the reply goes out as a threaded mail and its
// delivery state shows in the room.

const SHOTS = process.env.EMAIL_SCREENSHOTS ?? join(tmpdir(), 'autocrm-email-screens');
const INBOX = 'help@acme.test';

let s: TestServer;
let browser: Browser;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let client: ReturnType<typeof mailClient>;
let dataDir: string;

describe.skipIf(!existsSync(CHROMIUM))('email conversation in the workspace (browser)', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'autocrm-email-e2e-'));
    sink = await startSmtpSink();
    s = await startTestServer({ env: { DATA_DIR: dataDir, SMTP_URL: sink.url, SMTP_INBOUND_PORT: '0' } });
    const inbox = await s.req('POST', '/inboxes', {
      auth: s.admin,
      body: { name: INBOX, channel: 'email', members: [s.admin.userId] },
    });
    expect(inbox.status).toBe(201);
    client = mailClient(s.deps.channels!.get('email')!.ports.smtp!);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    client?.close();
    await browser?.close();
    await s?.close();
    await sink?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function signIn(viewport = { width: 1280, height: 800 }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    // A loaded shared machine can take longer than the 30 s default to render a page.
    context.setDefaultTimeout(60_000);
    const page = await context.newPage();
    await page.goto(`${s.url}/login`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.pathname !== '/login');
    return page;
  }

  it('shows subject and sender as text, sends the reply as a threaded mail and shows it was emailed', async () => {
    const subject = 'Refund <img src=x onerror="window.__pwned=1"> please';
    const customerId = '<first.mail@example.test>';
    await client.send({
      from: { name: '<b>Eve</b> "Hacker"', address: 'eve@example.test' },
      to: INBOX,
      subject,
      text: 'I would like a refund.\n\nOn Mon, 1 Dec 2026, Shop <shop@example.test> wrote:\n> Your order shipped.',
      messageId: customerId,
    });
    const conv = await waitFor(async () => {
      const list = (await s.req('GET', '/conversations?limit=50', { auth: s.admin })).body.data as {
        id: string;
        subject: string;
      }[];
      return list.find((c) => c.subject === subject);
    });

    const page = await signIn();
    await page.goto(`${s.url}/inbox/${conv!.id}`);
    await page.locator('[data-email-header]').waitFor();
    // Markup in the subject and the sender's name is text: shown literally, never an element.
    expect(await page.locator('#room-title').textContent()).toContain(subject);
    expect(await page.locator('[data-email-subject]').textContent()).toBe(subject);
    expect(await page.locator('[data-email-from]').textContent()).toBe('<b>Eve</b> "Hacker" <eve@example.test>');
    expect(await page.locator('[data-email-header] img, #room-title img, [data-email-header] b').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('[data-email-to]').textContent()).toBe(INBOX);

    // The quoted history is stripped from the message; "show full email" brings it back.
    const first = page.locator('li.msg.contact').first();
    expect(await first.locator('.body').textContent()).toBe('I would like a refund.');
    await first.locator('[data-show-full]').click();
    await first.locator('[data-full-email]', { hasText: 'Your order shipped.' }).waitFor();

    // Add a cc, then answer.
    await page.locator('[data-add-cc]').click();
    await page.locator('[data-cc-input]').fill('manager@example.test');
    await page.locator('[data-cc-save]').click();
    await page.locator('[data-email-cc]', { hasText: 'manager@example.test' }).waitFor();

    const editor = page.locator('.editor');
    await editor.click();
    await page.keyboard.type('Your refund is on its way.');
    await page.locator('[data-send]').click();
    const sent = await waitFor(() => sink.mails.find((m) => m.parsed.text?.includes('Your refund is on its way.')));
    expect(sent!.parsed.inReplyTo).toBe(customerId);
    expect(sent!.parsed.subject).toBe(`Re: ${subject}`);
    expect(sent!.envelope.to.sort()).toEqual(['eve@example.test', 'manager@example.test']);
    expect(sent!.parsed.text).toContain('> I would like a refund.');
    await page.locator('li.msg.agent [data-email-status="sent"]').waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(SHOTS, 'email-room-1280.png') });

    const phone = await signIn({ width: 390, height: 844 });
    await phone.goto(`${s.url}/inbox/${conv!.id}`);
    await phone.locator('[data-email-header]').waitFor();
    await phone.screenshot({ path: join(SHOTS, 'email-room-390.png') });
  });

  it("an admin sets an inbox's own outgoing server and sends a test mail from the settings page", async () => {
    const own = await startSmtpSink({ auth: { user: 'mailer', pass: 'pa55-word' } });
    try {
      const page = await signIn();
      await page.goto(`${s.url}/settings/email`);
      const card = page.locator('[data-email-inbox]', { hasText: INBOX });
      await card.getByLabel('Signature').fill('Best,\nAcme Help');
      const smtp = card.locator('fieldset', { hasText: 'Outgoing server' });
      await smtp.getByLabel('Host').fill('127.0.0.1');
      await smtp.getByLabel('Port').fill(String(own.port));
      await smtp.getByLabel('User').fill('mailer');
      await smtp.getByLabel('Password').fill('pa55-word');
      await card.locator('[data-save]').click();
      await card.locator('[data-saved]').waitFor();
      await card.getByLabel('Send a test mail to').fill('me@acme.test');
      await card.locator('[data-test]').click();
      await card.locator('[data-test-result="ok"]').waitFor();
      expect(own.mails.map((m) => m.envelope.to)).toEqual([['me@acme.test']]);
      // The password is never sent back to the page.
      expect(await page.content()).not.toContain('pa55-word');
      await page.screenshot({ path: join(SHOTS, 'email-settings-1280.png'), fullPage: true });
    } finally {
      await own.close();
    }
  });

  it('an admin connects an IMAP mailbox, tests it, turns on DKIM and sets their own signature', async () => {
    const imap = await startImapServer({ user: 'helpdesk', pass: 'imap-pa55' });
    try {
      const page = await signIn();
      await page.goto(`${s.url}/settings/email`);
      await page.getByLabel('Under your email replies').fill('Ada\nSupport team');
      await page.getByRole('button', { name: 'Save my signature' }).click();
      await page.locator('[data-my-signature] [role="status"]').waitFor();
      expect((await s.req('GET', '/me/email-signature', { auth: s.admin })).body.signature).toBe('Ada\nSupport team');

      const card = page.locator('[data-email-inbox]', { hasText: INBOX });
      const box = card.locator('[data-imap]');
      await box.getByLabel('Host').fill('127.0.0.1');
      await box.getByLabel('Port', { exact: true }).fill(String(imap.port));
      await box.getByLabel('TLS from the start').uncheck();
      await box.getByLabel('User').fill('helpdesk');
      await box.getByLabel('Password').fill('imap-pa55');
      await card.locator('[data-dkim]').getByLabel('Domain').fill('acme.test');
      await card.getByLabel('Ask for a rating by mail').check();
      await card.locator('[data-save]').click();
      await card.locator('[data-saved]').waitFor();
      await card.locator('[data-dkim-name]', { hasText: 'autocrm._domainkey.acme.test' }).waitFor();
      expect(await card.locator('[data-dkim-value]').textContent()).toMatch(/^v=DKIM1; k=rsa; p=/);
      await card.locator('[data-imap-test]').click();
      await card.locator('[data-imap-test-result="ok"]').waitFor();
      expect(await page.content()).not.toContain('imap-pa55');
      await page.screenshot({ path: join(SHOTS, 'email-settings-imap-1280.png'), fullPage: true });
      const phone = await signIn({ width: 390, height: 844 });
      await phone.goto(`${s.url}/settings/email`);
      await phone.locator('[data-dkim-value]').waitFor();
      await phone.screenshot({ path: join(SHOTS, 'email-settings-imap-390.png'), fullPage: true });
    } finally {
      await s.req(
        'PATCH',
        `/inboxes/${(await s.req('GET', '/inboxes', { auth: s.admin })).body.data.find((i: { name: string }) => i.name === INBOX).id}/email`,
        {
          auth: s.admin,
          body: { imap: null },
        },
      );
      await imap.close();
    }
  });
});
