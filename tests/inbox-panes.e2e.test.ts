import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { launchChromium } from './helpers/browser';
import { startVisitorChat, type TestSocket } from './helpers/sockets';
import { ADMIN, BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

vi.setConfig({ testTimeout: 180_000 });

/**
 * The inbox agents work in, in real Chromium: three panes at 1280x800 (list, conversation, customer sidebar),
 * one pane at a time at 390x844, the keyboard (j/k, Enter, e, Ctrl+K palette), the German workspace, and axe.
 */
const SHOTS = path.resolve('docs/screenshots');
const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser;
let s: TestServer;
let websiteToken: string;
const contexts: BrowserContext[] = [];
const sockets: TestSocket[] = [];

async function newPage(viewport = { width: 1280, height: 800 }, locale = 'en-US'): Promise<Page> {
  const context = await browser.newContext({ viewport, locale, bypassCSP: true });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err.message));
  return page;
}

async function signIn(page: Page, to: string, labels = { email: 'Email', password: 'Password', submit: 'Sign in' }) {
  await page.goto(`${s.url}${to}`);
  await page.getByLabel(labels.email).fill(ADMIN.email);
  await page.getByLabel(labels.password).fill(ADMIN.password);
  await page.getByRole('button', { name: labels.submit }).click();
  await page.waitForURL((u) => u.pathname === to.split('?')[0]);
}

/** The list is live (its socket joined the queues): JavaScript runs, keys work. */
const live = (page: Page) => page.locator('[data-queue-pane] .head .badge.accent').waitFor();

async function axeSerious(page: Page) {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (globalThis as any).axe;
    const result = await axe.run((globalThis as any).document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical')
      .map((v: { id: string; nodes: { target: unknown }[] }) => ({ id: v.id, targets: v.nodes.map((n) => n.target) }));
  });
}

const conversation = async (id: string) => (await s.req('GET', `/conversations/${id}`, { auth: s.admin })).body;

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  s = await startTestServer();
  const inboxes = await s.req('GET', '/inboxes', { auth: s.admin });
  websiteToken = inboxes.body.data.find((i: { id: string }) => i.id === s.inboxId).websiteToken;
  browser = await launchChromium();
});
afterAll(async () => {
  for (const so of sockets) so.disconnect();
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await s?.close();
});

async function visitorChat(
  body: string,
  ua = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
) {
  const chat = await startVisitorChat(s.url, websiteToken, body);
  sockets.push(chat.socket);
  const token = (chat.socket as any).auth.visitorToken as string;
  // The widget reports its page at start and again on a page change.
  for (const [pageUrl, pageTitle] of [
    ['https://shop.example/', 'Shop'],
    ['https://shop.example/pricing', 'Pricing'],
  ]) {
    await fetch(`${s.url}/widget-api/v1/context`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': ua },
      body: JSON.stringify({
        websiteToken,
        visitorToken: token,
        pageUrl,
        pageTitle,
        language: 'en-US',
        timeZone: 'Europe/Berlin',
      }),
    });
  }
  return chat;
}

describe(`the inbox in three panes (${BACKEND})`, () => {
  it('desktop: list, conversation and sidebar on one page; the row says who, what and where; URLs per conversation', async () => {
    const a = await visitorChat('Where is my parcel? It was due on Monday.');
    const b = await visitorChat('Can I change my plan to yearly billing?');
    const page = await newPage();
    await signIn(page, '/inbox?view=all');
    await live(page);
    const row = page.locator(`li.row[data-id="${a.conversationId}"]`);
    await row.waitFor();
    expect(await row.locator('[data-contact-name]').textContent()).toBe('Visitor from Berlin · Chrome on macOS');
    expect(await row.locator('[data-preview]').textContent()).toContain('Where is my parcel?');
    expect(await row.locator('[data-channel="web"]').count()).toBe(1);
    expect(await row.locator('[data-unread]').textContent()).toContain('1');
    // Nothing open yet: the middle pane says so.
    await page.locator('[data-no-conversation]').waitFor();
    await page.evaluate(() => ((globalThis as any).__noReload = true));

    // Open one: the URL is the conversation's, the list stays, the sidebar shows the customer.
    await row.getByRole('link').click();
    await page.waitForURL(`**/inbox/${a.conversationId}`);
    await page.getByText('Where is my parcel?', { exact: false }).last().waitFor();
    expect(await page.evaluate(() => (globalThis as any).__noReload)).toBe(true);
    expect(await page.locator('[data-queue-pane]').isVisible()).toBe(true);
    expect(await row.getByRole('link').getAttribute('aria-current')).toBe('page');
    expect(await page.locator('#room-side').isVisible()).toBe(true);
    const boxes = await Promise.all(
      ['[data-queue-pane]', '[data-room-panes] .main', '#room-side'].map((sel) => page.locator(sel).boundingBox()),
    );
    // Side by side, left to right, none overlapping.
    expect(boxes[0]!.x + boxes[0]!.width).toBeLessThanOrEqual(boxes[1]!.x + 1);
    expect(boxes[1]!.x + boxes[1]!.width).toBeLessThanOrEqual(boxes[2]!.x + 1);
    // The sidebar: where the visitor probably is, and the pages of this visit, newest first.
    expect(await page.locator('[data-location]').textContent()).toContain('Berlin, Europe');
    expect(await page.locator('[data-pages-visited] li').allTextContents()).toEqual([
      expect.stringContaining('Pricing'),
      expect.stringContaining('Shop'),
    ]);
    // The contact's attributes are edited in place.
    await page.locator('[data-edit-attributes]').click();
    const form = page.locator('[data-attributes-form]');
    await form.getByPlaceholder('Name').last().fill('plan');
    await form.getByPlaceholder('Value').last().fill('pro');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-attributes]', { hasText: 'pro' }).waitFor();
    const contactId = (await conversation(a.conversationId)).contactId;
    expect((await s.req('GET', `/contacts/${contactId}`, { auth: s.admin })).body.attributes).toEqual({ plan: 'pro' });
    // Opened and read: the row's unread badge goes.
    await row.locator('[data-unread]').waitFor({ state: 'detached' });
    await page.screenshot({ path: path.join(SHOTS, 'inbox-three-panes.png') });

    // Another conversation from the list, then a reload: the same conversation and the same list.
    await page.locator(`li.row[data-id="${b.conversationId}"] a`).click();
    await page.waitForURL(`**/inbox/${b.conversationId}`);
    await page.getByText('yearly billing', { exact: false }).last().waitFor();
    expect(await page.evaluate(() => (globalThis as any).__noReload)).toBe(true);
    await page.reload();
    await page.getByText('yearly billing', { exact: false }).last().waitFor();
    await page.locator(`li.row[data-id="${a.conversationId}"]`).waitFor();
    // The list kept its view (all) across opening a conversation.
    expect(await page.locator('[data-view="all"]').getAttribute('aria-current')).toBe('page');

    // Live: a new visitor message shows in the list without a reload.
    const c = await visitorChat('Live row arriving now');
    await page.locator(`li.row[data-id="${c.conversationId}"] [data-preview]`, { hasText: 'Live row arriving now' }).waitFor();
    expect(await axeSerious(page)).toEqual([]);
  });

  it('keyboard: j/k move, Enter opens, e resolves; Ctrl+K runs actions, navigates and finds conversations', async () => {
    const a = await visitorChat('Keyboard one: please resolve me');
    const page = await newPage();
    await signIn(page, '/inbox?view=all');
    await live(page);
    await page.locator(`li.row[data-id="${a.conversationId}"]`).waitFor();
    await page.locator('body').click({ position: { x: 700, y: 400 } });
    // Newest activity first: it is the first row.
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await expect
      .poll(() => page.evaluate(() => (globalThis as any).document.activeElement?.textContent ?? ''))
      .toContain('Keyboard one');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/inbox/${a.conversationId}`);
    await page.getByText('Keyboard one', { exact: false }).last().waitFor();

    // Ctrl+K: assign to me, from the keyboard.
    await page.locator('body').click({ position: { x: 700, y: 300 } });
    await page.keyboard.press('Control+k');
    const palette = page.locator('dialog[data-palette]');
    await palette.waitFor();
    await page.keyboard.type('assign');
    await page.locator('[data-command="assign"][aria-selected="true"]').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'command-palette.png') });
    await page.keyboard.press('Enter');
    await waitFor(async () => (await conversation(a.conversationId)).assigneeId === s.admin.userId);
    await expect.poll(() => palette.isVisible()).toBe(false);

    // e resolves the open conversation.
    await page.locator('body').click({ position: { x: 700, y: 300 } });
    await page.keyboard.press('e');
    await waitFor(async () => (await conversation(a.conversationId)).status.category === 'resolved');

    // Search conversations from the palette, then open the hit.
    const b = await visitorChat('Invoice number 4711 is missing');
    await page.keyboard.press('Control+k');
    await page.keyboard.type('4711');
    // No command matches "4711": the hit is the first entry, chosen with Enter.
    await page.locator(`[data-command="conv-${b.conversationId}"][aria-selected="true"]`).waitFor();
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/inbox/${b.conversationId}`);

    // Navigation: "reports" goes to the reports.
    await page.keyboard.press('Control+k');
    await page.keyboard.type('reports');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/reports');
  });

  it('phone: one pane at a time with a way back; tablet: the sidebar is a drawer', async () => {
    const a = await visitorChat('Phone-sized question about returns');
    const page = await newPage({ width: 390, height: 844 });
    await signIn(page, '/inbox?view=all');
    await live(page);
    const row = page.locator(`li.row[data-id="${a.conversationId}"]`);
    await row.waitFor();
    expect(await page.locator('[data-no-conversation]').isVisible()).toBe(false);
    for (const sel of ['[data-contact-name]', '[data-preview]', '[data-channel="web"]']) {
      const box = (await row.locator(sel).boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    expect(await row.locator('[data-preview]').textContent()).toContain('Phone-sized question');
    await page.screenshot({ path: path.join(SHOTS, 'inbox-phone-list.png') });
    await row.getByRole('link').click();
    await page.waitForURL(`**/inbox/${a.conversationId}`);
    await page.getByText('Phone-sized question', { exact: false }).last().waitFor();
    expect(await page.locator('[data-queue-pane]').isVisible()).toBe(false);
    expect(await page.locator('#room-side').isVisible()).toBe(false);
    await page.screenshot({ path: path.join(SHOTS, 'inbox-phone-room.png') });
    await page.locator('[data-side-toggle]').click();
    await expect.poll(() => page.locator('#room-side').isVisible()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'inbox-phone-sidebar.png') });
    expect(await axeSerious(page)).toEqual([]);
    await page.locator('#room-side .side-close').click();
    await page.locator('[data-back-to-list]').click();
    await page.waitForURL((u) => u.pathname === '/inbox');
    await row.waitFor();

    // Tablet: list and conversation side by side, the sidebar behind a button.
    await page.setViewportSize({ width: 900, height: 800 });
    await row.getByRole('link').click();
    await page.waitForURL(`**/inbox/${a.conversationId}`);
    expect(await page.locator('[data-queue-pane]').isVisible()).toBe(true);
    expect(await page.locator('#room-side').isVisible()).toBe(false);
    await page.locator('[data-side-toggle]').click();
    await expect.poll(() => page.locator('#room-side').isVisible()).toBe(true);
  });

  it('German workspace: from the browser language, or the profile language over it', async () => {
    const a = await visitorChat('Guten Tag, wo ist mein Paket?');
    for (const [name, viewport] of [
      ['desktop', { width: 1280, height: 800 }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      const page = await newPage(viewport, 'de-DE');
      await signIn(page, '/inbox?view=all', { email: 'E-Mail', password: 'Passwort', submit: 'Anmelden' });
      await page.locator('[data-queue-pane] h1', { hasText: 'Unterhaltungen' }).waitFor();
      await live(page);
      expect(await page.locator('[data-view="todo"]').textContent()).toContain('Zu erledigen');
      expect(await page.locator('nav[aria-label="Main"]').textContent()).toContain('Posteingang');
      expect(await page.evaluate(() => (globalThis as any).document.documentElement.lang)).toBe('de');
      await page.locator(`li.row[data-id="${a.conversationId}"] a`).click();
      await page.waitForURL(`**/inbox/${a.conversationId}`);
      await page.getByText('wo ist mein Paket', { exact: false }).last().waitFor();
      await page.keyboard.press('Control+k');
      await page.locator('[data-palette-input]').waitFor();
      expect(await page.locator('[data-palette-input]').getAttribute('placeholder')).toBe(
        'Befehl eingeben oder Unterhaltungen suchen…',
      );
      await page.screenshot({ path: path.join(SHOTS, `inbox-german-${name}.png`) });
      await page.keyboard.press('Escape');
    }

    // The agent's profile says English: it wins over the German browser.
    expect((await s.req('PATCH', '/me', { auth: s.admin, body: { locale: 'en' } })).status).toBe(200);
    const page = await newPage({ width: 1280, height: 800 }, 'de-DE');
    await signIn(page, '/inbox?view=all', { email: 'E-Mail', password: 'Passwort', submit: 'Anmelden' });
    await page.locator('[data-queue-pane] h1', { hasText: 'Conversations' }).waitFor();
    expect((await s.req('PATCH', '/me', { auth: s.admin, body: { locale: null } })).status).toBe(200);
  });
});
