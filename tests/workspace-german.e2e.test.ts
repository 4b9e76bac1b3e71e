import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en, strings } from '../web/src/lib/strings';
import { CHROMIUM, launchChromium } from './helpers/browser';
import { ADMIN, startTestServer, type TestServer } from './helpers/test-server';

// A German agent (Chromium with locale de-DE, no profile language) sees the pages around the inbox in
// German: sign-in, forgotten and new password, profile, notifications, contacts, companies, the contact
// page's notes card and the inbox settings' typing-preview switch. Each page is checked for the German
// of its key strings and for the absence of every English string of the catalogue parts it shows (the
// English text of a part that German translates: a page still printing it missed a swap).

const DOC_SHOTS = join(import.meta.dirname, '..', 'docs', 'screenshots');
type Part = keyof typeof en;

/** The English strings of these catalogue parts that German says differently (5 characters or more). */
function english(parts: Part[]): string[] {
  const de = strings('de');
  const out: string[] = [];
  const walk = (e: unknown, d: unknown) => {
    if (typeof e === 'string') {
      if (e !== d && e.length >= 5) out.push(e);
    } else if (e && typeof e === 'object')
      for (const [k, v] of Object.entries(e)) walk(v, (d as Record<string, unknown> | undefined)?.[k]);
  };
  for (const p of parts) walk(en[p], de[p]);
  return out;
}
const de = strings('de');

let s: TestServer;
let browser: Browser;

describe.skipIf(!existsSync(CHROMIUM))('German workspace pages (browser, locale de-DE)', () => {
  beforeAll(async () => {
    s = await startTestServer();
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  async function german(viewport = { width: 1280, height: 800 }): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'de-DE' });
    context.setDefaultTimeout(60_000);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('page error:', err.message));
    return page;
  }
  async function check(page: Page, path: string, parts: Part[], present: string[], shot?: string) {
    await page.goto(`${s.url}${path}`);
    await page.locator('#main').waitFor();
    const text = (await page.locator('#main').textContent()) ?? '';
    for (const p of present) expect(text, `${path}: ${p}`).toContain(p);
    expect(
      english(parts).filter((e) => text.includes(e)),
      path,
    ).toEqual([]);
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    if (shot) await page.screenshot({ path: join(DOC_SHOTS, shot), fullPage: false });
  }

  it('shows the sign-in, password, settings, contacts and companies pages in German', async () => {
    const conv = await s.req('POST', '/conversations', {
      auth: s.admin,
      body: { inboxId: s.inboxId, contact: { name: 'Jonas Becker', email: 'jonas@example.de' }, message: { body: 'Hallo' } },
    });
    expect(conv.status).toBe(201);
    await s.req('POST', `/contacts/${conv.body.contactId}/notes`, { auth: s.admin, body: { body: 'Ruft lieber an' } });
    await s.req('POST', '/companies', { auth: s.admin, body: { name: 'Becker GmbH', domain: 'example.de' } });

    // The server's HTML says the language already (screen readers and pages without JavaScript read it there).
    const raw = await (await fetch(`${s.url}/forgot-password`, { headers: { 'accept-language': 'de-DE,de;q=0.9' } })).text();
    expect(raw).toContain('<html lang="de">');
    const page = await german();
    await check(page, '/forgot-password', ['auth'], [de.auth.forgotTitle, de.auth.sendLink, de.auth.backToSignIn]);
    await check(page, '/reset-password/not-a-real-token', ['auth'], [de.auth.newPasswordTitle, de.auth.repeatIt]);
    await check(page, '/login', ['auth', 'login'], [de.login.title, de.auth.forgot], 'german-login-1280.png');
    await page.getByLabel(de.login.email, { exact: true }).fill(ADMIN.email);
    await page.getByLabel(de.login.password, { exact: true }).fill(ADMIN.password);
    await page.getByRole('button', { name: de.login.submit, exact: true }).click();
    await page.waitForURL((u) => u.pathname !== '/login');

    const all: Part[] = ['settingsNav', 'profile', 'notificationSettings', 'contacts', 'companies', 'nav'];
    await check(
      page,
      '/settings/profile',
      all,
      [de.profile.fullName, de.profile.saveProfile, de.auth.twoFactor, de.profile.sessions, de.settingsNav.inboxes],
      'german-profile-1280.png',
    );
    await check(page, '/settings/notifications', all, [
      de.notificationSettings.thisBrowser,
      de.notificationSettings.save,
      'Mir zugewiesen',
    ]);
    await check(
      page,
      '/contacts',
      all,
      [de.contacts.newContact, de.contacts.exportCsv, 'Jonas Becker'],
      'german-contacts-1280.png',
    );
    await check(page, '/companies', all, [de.companies.newCompany, de.companies.contactCount(1), 'Becker GmbH']);
    await check(
      page,
      `/contacts/${conv.body.contactId}`,
      ['contactNotes'],
      [
        de.contactNotes.title,
        de.contactNotes.add,
        'Ruft lieber an',
        de.contactPage.details,
        de.contactPage.company,
        de.sidebar.attributes,
      ],
    );
    await check(page, `/settings/inboxes/${s.inboxId}`, ['inboxSettings', 'settingsNav'], [de.inboxSettings.typingPreview]);

    const phone = await german({ width: 390, height: 844 });
    await phone.goto(`${s.url}/login`);
    await phone.getByLabel(de.login.email, { exact: true }).fill(ADMIN.email);
    await phone.getByLabel(de.login.password, { exact: true }).fill(ADMIN.password);
    await phone.getByRole('button', { name: de.login.submit, exact: true }).click();
    await phone.waitForURL((u) => u.pathname !== '/login');
    await check(phone, '/settings/notifications', all, [de.notificationSettings.thisBrowser], 'german-notifications-390.png');
  }, 240_000);
});
