import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../server/src/domain/routing/clock';
import { CHROMIUM, launchChromium } from './helpers/browser';
import { ADMIN, startTestServer, type TestServer } from './helpers/test-server';

// Settings → Privacy in a real Chromium: an admin sets a retention policy, the retention job runs on a
// moved clock and the page shows what it did; then the admin finds a contact and erases them. An archived
// conversation leaves the inbox's lists and is found again, by its words, in the Archived view.

const SHOTS = process.env.SETTINGS_SCREENSHOTS ?? join(tmpdir(), 'autocrm-settings-screens');
const DAY = 24 * 3_600_000;

let s: TestServer;
let browser: Browser;
let clock: ManualClock;
let key: string;
const contexts: BrowserContext[] = [];

async function signIn(path: string, width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: width > 500 ? 800 : 844 }, acceptDownloads: true });
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

  it('archives an old resolved conversation: out of the lists, found in the Archived view by its words, still opens', async () => {
    const conv = await s.req('POST', '/conversations', {
      auth: key,
      body: {
        inboxId: s.inboxId,
        subject: 'Kettle warranty',
        contact: { name: 'Ada Lovelace', email: 'ada@example.org' },
        message: { body: 'The blue kettle stopped boiling' },
      },
    });
    expect(conv.status).toBe(201);
    const other = await s.req('POST', '/conversations', {
      auth: key,
      body: { inboxId: s.inboxId, subject: 'Toaster', contact: { name: 'Alan Turing', email: 'alan@example.org' } },
    });
    const statuses = (await s.req('GET', '/statuses', { auth: key })).body.data as { id: string; category: string }[];
    const resolved = statuses.find((st) => st.category === 'resolved')!;
    for (const id of [conv.body.id, other.body.id])
      await s.req('PATCH', `/conversations/${id}`, { auth: key, body: { statusId: resolved.id } });
    // Archive after 10 days; nothing anonymized (so the words stay findable).
    const policy = (await s.req('GET', '/admin/retention', { auth: key })).body;
    const put = await s.req('PUT', '/admin/retention', {
      auth: key,
      body: { ...policy, conversations: { afterDays: null, action: 'anonymize' }, archiveAfterDays: 10 },
    });
    expect(put.status).toBe(200);
    clock.set(new Date(Date.now() + 80 * DAY));
    expect((await s.req('POST', '/admin/jobs/apply-retention/run', { auth: key })).status).toBe(200);
    expect((await s.req('GET', `/conversations/${conv.body.id}`, { auth: key })).body.archivedAt).toBeTruthy();

    // Every state of the "All" view: the archived conversation is not there.
    const page = await signIn('/inbox?view=all&state=any');
    await page.locator('[data-view="all"][aria-current="page"]').waitFor();
    await page.locator('body[data-app-ready="1"]').waitFor();
    expect(await page.locator(`li.row[data-id="${conv.body.id}"]`).count()).toBe(0);

    // The Archived view lists it; its search finds it by a word of its message, and not by another's.
    await page.locator('[data-view="archived"]').click();
    await page.locator('[data-view="archived"][aria-current="page"]').waitFor();
    await page.locator(`li.row[data-id="${conv.body.id}"]`).waitFor();
    await page.locator(`li.row[data-id="${other.body.id}"]`).waitFor();
    await page.locator('details.more summary').click();
    await page.locator('form.filters input[name="q"]').fill('kettle');
    await page.locator('form.filters').getByRole('button').click();
    await page.waitForURL((u) => u.searchParams.get('q') === 'kettle');
    await page.locator(`li.row[data-id="${conv.body.id}"]`).waitFor();
    expect(await page.locator(`li.row[data-id="${other.body.id}"]`).count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'inbox-archived-desktop.png'), fullPage: true });

    // It opens at its address, its messages intact.
    await page.locator(`li.row[data-id="${conv.body.id}"] a`).click();
    await page.waitForURL((u) => u.pathname === `/inbox/${conv.body.id}`);
    await page.getByText('The blue kettle stopped boiling').first().waitFor();
  }, 120_000);

  it('exports a contact from the privacy page as a JSON download, with notes only when asked, audited', async () => {
    const conv = await s.req('POST', '/conversations', {
      auth: key,
      body: {
        inboxId: s.inboxId,
        subject: 'Lost parcel',
        contact: { name: 'Mary Shelley', email: 'mary@example.org' },
        message: { body: 'The parcel never came' },
      },
    });
    expect(conv.status).toBe(201);
    await s.req('POST', `/conversations/${conv.body.id}/notes`, { auth: key, body: { body: 'Courier says delivered' } });
    const page = await signIn('/settings/privacy');
    await page.getByLabel('Find a contact').fill('mary@example.org');
    await page.getByRole('button', { name: 'Find' }).click();
    const row = page.locator(`[data-contact="${conv.body.contactId}"]`);
    await row.waitFor();
    const read = async (name: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name, exact: true }).click()]);
      expect(download.suggestedFilename()).toBe(`contact-${conv.body.contactId}.json`);
      return JSON.parse(readFileSync((await download.path())!, 'utf8'));
    };
    const plain = await read('Export');
    expect(plain.contact).toMatchObject({ name: 'Mary Shelley', email: 'mary@example.org' });
    const texts = (doc: { conversations: { messages: { text: string }[] }[] }) =>
      doc.conversations[0]!.messages.map((m) => m.text);
    expect(texts(plain)).toContain('The parcel never came');
    expect(texts(plain)).not.toContain('Courier says delivered');
    expect(texts(await read('Export with notes'))).toContain('Courier says delivered');
    const audited = await s.deps.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'contact.exported')
      .where('entity_id', '=', conv.body.contactId)
      .execute();
    expect(audited).toHaveLength(2);
  }, 120_000);
});
