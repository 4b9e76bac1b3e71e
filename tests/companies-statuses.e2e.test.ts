import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from './helpers/browser';
import { ADMIN, BACKEND, startTestServer, type TestServer } from './helpers/test-server';

// Companies and status deletion in a real Chromium, each checked through the API afterwards: a company
// made on the Companies page takes in a contact at its domain, shows on the contact's page and in the
// room's contact card; a status deleted on the Statuses page moves its conversation to the replacement,
// and the default status asks for a new default.

const SHOTS = process.env.SCREENSHOTS_DIR ?? join(__dirname, '..', 'docs', 'screenshots');

let s: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function signIn(path: string, width = 1280): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width, height: width > 500 ? 800 : 844 },
    ...(width < 500 ? { isMobile: true, hasTouch: true } : {}),
  });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err.message));
  await page.goto(`${s.url}${path}`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname !== '/login');
  if (new URL(page.url()).pathname !== path) await page.goto(`${s.url}${path}`);
  return page;
}

describe.skipIf(!existsSync(CHROMIUM))(`companies and status deletion (browser, ${BACKEND})`, () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    s = await startTestServer();
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await s?.close();
  });

  it('creates a company that takes in a contact by domain; the contact page and room card show it', async () => {
    const conv = await s.req('POST', '/conversations', {
      auth: s.admin,
      body: {
        inboxId: s.inboxId,
        subject: 'Bulk order',
        contact: { email: 'lena@globex.test', name: 'Lena' },
        message: { body: 'Hi' },
      },
    });
    expect(conv.status, conv.text).toBe(201);
    const tier = await s.req('POST', '/custom-fields', {
      auth: s.admin,
      body: { key: 'tier', label: 'Tier', type: 'single_select', options: ['silver', 'gold'], entity: 'contact' },
    });
    expect(tier.status, tier.text).toBe(201);

    const page = await signIn('/companies');
    // The New company button needs the page's script: once it opens the form, the page is hydrated.
    await page.getByRole('button', { name: 'New company' }).click();
    await page.getByLabel('Name').fill('Globex');
    await page.getByLabel('Email domain').fill('globex.test');
    await page.getByRole('button', { name: 'Add company' }).click();
    await page.waitForURL(/\/companies\/[0-9a-f-]{36}$/);
    await page.locator('[data-company-contacts] [data-contact="lena@globex.test"]').waitFor();
    await page.locator(`[data-conversations] [data-conversation="${conv.body.id}"]`).waitFor();
    const companyId = page.url().split('/').pop()!;
    expect((await s.req('GET', `/contacts/${conv.body.contactId}`, { auth: s.admin })).body.companyId).toBe(companyId);
    await page.screenshot({ path: join(SHOTS, 'company-desktop.png'), fullPage: true });

    await page.goto(`${s.url}/companies`);
    await page.locator('[data-company="Globex"] [data-contact-count]').filter({ hasText: '1 contact' }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'companies-desktop.png'), fullPage: true });

    // The contact page: the company, and the contact field set there.
    await page.goto(`${s.url}/contacts/${conv.body.contactId}`);
    await page.locator('[data-contact-company]').filter({ hasText: 'Globex' }).waitFor();
    await page.waitForLoadState('networkidle');
    await page.getByLabel('Tier').selectOption('gold');
    await page.getByRole('button', { name: 'Save fields' }).click();
    await page.locator('[data-fields-saved]').waitFor();
    expect((await s.req('GET', `/contacts/${conv.body.contactId}`, { auth: s.admin })).body.customFields).toEqual({
      tier: 'gold',
    });

    // The export carries the company and the field; the import page maps them back by their headers.
    const csv = await (await page.request.get(`${s.url}/contacts/export.csv`)).text();
    const [header, ...lines] = csv.trim().split('\r\n');
    expect(header!.split(',')).toEqual(expect.arrayContaining(['"company"', '"field:tier"']));
    const lena = lines.find((l) => l.includes('lena@globex.test'))!;
    expect(lena).toContain('"Globex"');
    expect(lena).toContain('"gold"');

    // The room's contact card shows both.
    await page.goto(`${s.url}/inbox/${conv.body.id}`);
    await page.locator('[data-contact-card-company]').filter({ hasText: 'Globex' }).waitFor();
    await page.locator('[data-contact-card-field="tier"]').filter({ hasText: 'gold' }).waitFor();
    await page.locator('[data-contact-card-fields] dt').filter({ hasText: 'Tier' }).waitFor();

    const phone = await signIn('/companies', 390);
    await phone.locator('[data-company="Globex"]').waitFor();
    await phone.screenshot({ path: join(SHOTS, 'companies-phone.png'), fullPage: true });
  });

  it('deletes a status with a replacement, and the default only with a new default', async () => {
    const made = await s.req('POST', '/statuses', { auth: s.admin, body: { name: 'On hold', category: 'open' } });
    expect(made.status).toBe(201);
    const conv = await s.req('POST', '/conversations', {
      auth: s.admin,
      body: { inboxId: s.inboxId, subject: 'Held', statusId: made.body.id },
    });
    expect(conv.status, conv.text).toBe(201);
    const statuses = (await s.req('GET', '/statuses', { auth: s.admin })).body.data as {
      id: string;
      name: string;
      isDefault: boolean;
    }[];
    const def = statuses.find((x) => x.isDefault)!;

    const page = await signIn('/settings/statuses');
    await page.waitForLoadState('networkidle');
    const row = page.locator('[data-delete-status="On hold"]');
    await row.locator('summary').click();
    await row.getByLabel('Move its conversations to').selectOption(def.id);
    await page.screenshot({ path: join(SHOTS, 'status-delete-desktop.png'), fullPage: true });
    await row.getByRole('button', { name: 'Delete On hold' }).click();
    await page.locator('[data-deleted]').filter({ hasText: '1 conversation moved' }).waitFor();
    expect(await page.locator('[data-status="On hold"]').count()).toBe(0);
    expect((await s.req('GET', `/conversations/${conv.body.id}`, { auth: s.admin })).body.status.id).toBe(def.id);

    // The default asks for a new default among the open statuses.
    const next = await s.req('POST', '/statuses', { auth: s.admin, body: { name: 'Fresh start', category: 'open' } });
    await page.goto(`${s.url}/settings/statuses`);
    await page.waitForLoadState('networkidle');
    const defRow = page.locator(`[data-delete-status="${def.name}"]`);
    await defRow.locator('summary').click();
    await defRow.getByLabel('Move its conversations to').selectOption(next.body.id);
    await defRow.getByLabel('New default status').selectOption(next.body.id);
    await defRow.getByRole('button', { name: `Delete ${def.name}` }).click();
    await page.locator('[data-deleted]').waitFor();
    const after = (await s.req('GET', '/statuses', { auth: s.admin })).body.data as { id: string; isDefault: boolean }[];
    expect(after.find((x) => x.isDefault)?.id).toBe(next.body.id);
    expect(after.some((x) => x.id === def.id)).toBe(false);
    expect((await s.req('GET', `/conversations/${conv.body.id}`, { auth: s.admin })).body.status.id).toBe(next.body.id);
  });
});
