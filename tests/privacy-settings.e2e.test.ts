import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../server/src/domain/routing/clock';
import { CHROMIUM, launchChromium } from './helpers/browser';
import { ADMIN, startTestServer, type TestServer } from './helpers/test-server';

// Settings → Privacy in a real Chromium: an admin sets a retention policy, the retention job runs on a
// moved clock and the page shows what it did; then the admin finds a contact and erases them.

const SHOTS = process.env.SETTINGS_SCREENSHOTS ?? join(tmpdir(), 'autocrm-settings-screens');
const DAY = 24 * 3_600_000;

let s: TestServer;
let browser: Browser;
let clock: ManualClock;
let key: string;
const contexts: BrowserContext[] = [];

async function signIn(path: string, width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: width > 500 ? 800 : 844 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${s.url}${path}`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname !== '/login');
  if (new URL(page.url()).pathname !== path) await page.goto(`${s.url}${path}`);
  return page;
}

describe.skipIf(!existsSync(CHROMIUM))('privacy settings (browser)', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    clock = new ManualClock(new Date());
    s = await startTestServer({ jobsClock: clock, env: { JOBS_POLL_MS: '3600000' } });
    key = await s.apiKey(['admin', 'conversations:read', 'conversations:write', 'contacts:read', 'contacts:write']);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await s?.close();
  });

  it('sets a retention policy and shows the run it caused; finds a contact and erases them', async () => {
    const conv = await s.req('POST', '/conversations', {
      auth: key,
      body: {
        inboxId: s.inboxId,
        subject: 'Invoice question',
        contact: { name: 'Grace Hopper', email: 'grace@example.org' },
        message: { body: 'My card ends in 4242' },
      },
    });
    expect(conv.status).toBe(201);
    const resolved = (await s.req('GET', '/statuses', { auth: key })).body.data.find(
      (st: { category: string }) => st.category === 'resolved',
    );
    await s.req('PATCH', `/conversations/${conv.body.id}`, { auth: key, body: { statusId: resolved.id } });

    let page = await signIn('/settings/privacy');
    await page.getByLabel('What happens to old conversations').selectOption('anonymize');
    await page.locator('#conv-days').fill('30');
    await page.locator('#orphan-hours').fill('12');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText('Retention policy saved.').waitFor();
    const policy = (await s.req('GET', '/admin/retention', { auth: key })).body;
    expect(policy).toMatchObject({ conversations: { afterDays: 30, action: 'anonymize' }, orphanUploadsAfterHours: 12 });

    // Forty days later the nightly run anonymizes the resolved conversation. (The moved clock also ends
    // every session, as the session job runs in the same round: the admin signs in again to look.)
    clock.set(new Date(Date.now() + 40 * DAY));
    expect((await s.req('POST', '/admin/jobs/apply-retention/run', { auth: key })).status).toBe(200);
    page = await signIn('/settings/privacy');
    const run = page.locator('[data-job="apply-retention"]');
    await run.getByText('conversations anonymized 1').waitFor();
    await page.screenshot({ path: join(SHOTS, 'privacy-desktop.png'), fullPage: true });
    const messages = (await s.req('GET', `/conversations/${conv.body.id}/messages`, { auth: key })).body.data;
    expect(messages.every((m: { bodyText?: string; body?: string }) => !JSON.stringify(m).includes('4242'))).toBe(true);

    // Find the contact and erase them, confirming by typing ERASE.
    await page.getByLabel('Find a contact').fill('grace@example.org');
    await page.getByRole('button', { name: 'Find' }).click();
    const row = page.locator(`[data-contact="${conv.body.contactId}"]`);
    await row.waitFor();
    await row.getByRole('button', { name: 'Erase' }).click();
    await page.getByText('Type ERASE to confirm').waitFor();
    expect((await s.req('GET', `/contacts/${conv.body.contactId}`, { auth: key })).body.email).toBe('grace@example.org');
    await row.getByPlaceholder('Type ERASE').fill('ERASE');
    await row.getByRole('button', { name: 'Erase' }).click();
    await page.getByText('Erased: 1 conversations').waitFor();
    const contact = (await s.req('GET', `/contacts/${conv.body.contactId}`, { auth: key })).body;
    expect(contact).toMatchObject({ name: null, email: null });

    const phone = await signIn('/settings/privacy', 390);
    await phone.getByText('Privacy and retention').waitFor();
    await phone.screenshot({ path: join(SHOTS, 'privacy-phone.png'), fullPage: true });
  }, 120_000);
});
