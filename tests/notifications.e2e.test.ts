import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from './helpers/browser';
import { type HostPage, startHostPage } from './helpers/host-page';
import { call, connected, newVisitor, type TestSocket, visitorSocket } from './helpers/sockets';
import { ADMIN, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Notifications in a real Chromium: the bell, the unread count in the tab title and a desktop
// notification (permission granted, window.Notification spied on) for an assignment and a customer
// reply; the preferences page; and an announcement shown (then dismissed) in the widget.

const SHOTS = process.env.NOTIFICATION_SCREENSHOTS ?? join(process.cwd(), 'docs/screenshots');

let s: TestServer;
let browser: Browser;
let host: HostPage;
let websiteToken: string;
const contexts: BrowserContext[] = [];
const sockets: TestSocket[] = [];

async function signIn(path: string, width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: width > 500 ? 800 : 844 } });
  contexts.push(context);
  await context.grantPermissions(['notifications'], { origin: s.url });
  // A page-side spy: every Notification the workspace creates is recorded (and still constructed).
  await context.addInitScript(() => {
    const w = globalThis as any;
    w.__shown = [];
    const Real = w.Notification;
    class Spy extends Real {
      constructor(title: string, opts?: { body?: string }) {
        super(title, opts);
        w.__shown.push({ title, body: opts?.body ?? '' });
      }
      static get permission() {
        return Real.permission;
      }
    }
    w.Notification = Spy;
  });
  const page = await context.newPage();
  await page.goto(`${s.url}${path}`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname !== '/login');
  if (new URL(page.url()).pathname !== path) await page.goto(`${s.url}${path}`);
  return page;
}

describe.skipIf(!existsSync(CHROMIUM))('notifications (browser)', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    s = await startTestServer();
    browser = await launchChromium();
    const inboxes = await s.req('GET', '/inboxes', { auth: s.admin });
    websiteToken = inboxes.body.data.find((i: { id: string }) => i.id === s.inboxId).websiteToken;
    host = await startHostPage({ serverUrl: s.url, websiteToken, title: 'Shop' });
  }, 60_000);
  afterAll(async () => {
    for (const x of sockets) x.disconnect();
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await host?.close();
    await s?.close();
  });

  it('assignment and a customer reply: the bell, the tab title and a desktop notification', async () => {
    const page = await signIn('/inbox');
    const bell = page.locator('[data-notification-bell]');
    // Hydrated: the bell is a JS-only control; open and close its panel once.
    await bell.click();
    await page.locator('[data-notification-panel]').waitFor();
    await bell.click();

    const v = await newVisitor(s.url, websiteToken);
    const socket = visitorSocket(s.url, websiteToken, v.visitorToken);
    sockets.push(socket);
    await connected(socket);
    const started = await call(socket, 'conversation:start', { clientId: `c-${Math.random()}`, body: 'My order is late' });
    if (!started.ok) throw new Error(started.error.message);
    const conversationId = started.conversationId as string;
    await s.req('PATCH', `/conversations/${conversationId}`, { auth: s.admin, body: { assigneeId: s.admin.userId } });

    const shown = () => page.evaluate(() => (globalThis as any).__shown as { title: string; body: string }[]);
    await waitFor(async () => (await shown()).some((n) => / was assigned to you$/.test(n.title)));
    await waitFor(async () => (await page.locator('[data-unread-count]').textContent()) === '1');

    await call(socket, 'message:send', { conversationId, clientId: `m-${Math.random()}`, body: 'Any news on it?' });
    await waitFor(async () => (await shown()).some((n) => /the customer replied$/.test(n.title) && n.body === 'Any news on it?'));
    await waitFor(async () => (await page.locator('[data-unread-count]').textContent()) === '2');
    await waitFor(async () => (await page.title()).startsWith('(2) '));

    await bell.click();
    const panel = page.locator('[data-notification-panel]');
    await panel.locator('[data-notification="customer.replied"]').waitFor();
    expect(await panel.locator('[data-notification="assigned"]').count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'notifications-bell.png') });
    // Opening one marks it read and goes to the conversation.
    await panel.locator('[data-notification="customer.replied"] button').click();
    await page.waitForURL((u) => u.pathname === `/inbox/${conversationId}`);
    await waitFor(async () => (await page.locator('[data-unread-count]').textContent()) === '1');
    await waitFor(async () => (await page.title()).startsWith('(1) '));
    expect((await s.req('GET', '/notifications/unread-count', { auth: s.admin })).body).toEqual({ unread: 1 });
  });

  it('preferences page: turning desktop off for replies stops the desktop notification, the bell still counts', async () => {
    const page = await signIn('/settings/notifications');
    await page.locator('[data-permission="granted"]').waitFor();
    await page.getByLabel('Customer replied: Desktop').uncheck();
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText('Preferences saved.').waitFor();
    await page.screenshot({ path: join(SHOTS, 'notifications-preferences.png'), fullPage: true });
    const prefs = (await s.req('GET', '/me/notification-preferences', { auth: s.admin })).body;
    expect(prefs.kinds['customer.replied']).toEqual({ inApp: true, desktop: false, push: true, email: true });

    const v = await newVisitor(s.url, websiteToken);
    const socket = visitorSocket(s.url, websiteToken, v.visitorToken);
    sockets.push(socket);
    await connected(socket);
    const started = await call(socket, 'conversation:start', { clientId: `c-${Math.random()}`, body: 'Hi' });
    if (!started.ok) throw new Error(started.error.message);
    await s.req('PATCH', `/conversations/${started.conversationId}`, { auth: s.admin, body: { assigneeId: s.admin.userId } });
    const before = Number(
      (await page
        .locator('[data-unread-count]')
        .textContent()
        .catch(() => '0')) || 0,
    );
    await call(socket, 'message:send', {
      conversationId: started.conversationId,
      clientId: `m-${Math.random()}`,
      body: 'Quiet one',
    });
    await waitFor(async () => Number(await page.locator('[data-unread-count]').textContent()) >= before + 1);
    await s.settle();
    const shown = (await page.evaluate(() => (globalThis as any).__shown)) as { title: string; body: string }[];
    expect(shown.some((n) => / was assigned to you$/.test(n.title))).toBe(true);
    expect(shown.some((n) => n.body === 'Quiet one')).toBe(false);

    const phone = await signIn('/settings/notifications', 390);
    await phone.getByRole('button', { name: 'Save preferences' }).waitFor();
    await phone.screenshot({ path: join(SHOTS, 'notifications-preferences-phone.png'), fullPage: true });
  });

  it('an announcement shows in the widget on the next visit and stays away once dismissed', async () => {
    const created = await s.req('POST', '/announcements', {
      auth: s.admin,
      body: { title: 'New: order tracking', body: 'Track every parcel from your account page.', segment: { languages: ['en'] } },
    });
    expect(created.status).toBe(201);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(host.url);
    const card = page.locator('autocrm-widget').locator('[data-news]');
    await card.waitFor();
    expect(await card.textContent()).toContain('New: order tracking');
    await page.screenshot({ path: join(SHOTS, 'widget-announcement.png') });
    await card.getByRole('button').click();
    await card.waitFor({ state: 'detached' });
    await waitFor(async () => (await s.req('GET', '/announcements', { auth: s.admin })).body.data[0].dismissed === 1);
    await page.reload();
    await page.locator('autocrm-widget').locator('button.launcher').waitFor();
    await s.settle();
    expect(await page.locator('autocrm-widget').locator('[data-news]').count()).toBe(0);
    const list = (await s.req('GET', '/announcements', { auth: s.admin })).body.data[0];
    expect(list).toMatchObject({ shown: 1, dismissed: 1 });
  });
});
