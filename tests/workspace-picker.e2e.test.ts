import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from './helpers/browser';
import { pick, picker, pickerText } from './helpers/picker';
import { startTestServer, type TestServer, waitFor } from './helpers/test-server';

// The ticket card's pickers (web/src/lib/components/Picker.svelte) driven from the keyboard alone: open,
// filter, arrow, Enter, Escape, Home and End; the new assignee is saved and shows live in another agent's
// view of the room; at 390 px the list is a bottom sheet that stays on the screen.

const DOC_SHOTS = join(import.meta.dirname, '..', 'docs', 'screenshots');

interface TestUser {
  id: string;
  email: string;
  password: string;
  name: string;
}

let s: TestServer;
let browser: Browser;
let ada: TestUser;
let bob: TestUser;
let cleo: TestUser;
const contexts: BrowserContext[] = [];

async function createUser(name: string): Promise<TestUser> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}@test.autocrm.dev`;
  const password = `pw-${name}-123456`;
  const res = await s.req('POST', '/users', { auth: s.admin, body: { email, name, role: 'agent', password } });
  if (res.status !== 201) throw new Error(`user: ${res.text}`);
  return { id: res.body.id, email, password, name };
}

async function signIn(user: TestUser, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(60_000);
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err.message));
  await page.goto(`${s.url}/login`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname !== '/login');
  return page;
}

/** The id of the focused element, and of the option the focused element points at (aria-activedescendant). */
const focus = (page: Page) =>
  page.evaluate(() => {
    const doc = (globalThis as any).document;
    const el = doc.activeElement;
    const activeId = el?.getAttribute('aria-activedescendant');
    return {
      id: el?.id as string,
      tag: (el?.tagName ?? '').toLowerCase() as string,
      activeOption: activeId
        ? ((doc.getElementById(activeId)?.querySelector('[data-text]')?.textContent ?? '') as string).trim()
        : null,
    };
  });

const assigneeOf = async (id: string) => (await s.req('GET', `/conversations/${id}`, { auth: s.admin })).body.assigneeId;

async function newConversation(subject: string) {
  const res = await s.req('POST', '/conversations', {
    auth: s.admin,
    body: {
      inboxId: s.inboxId,
      subject,
      contact: { name: `Customer of ${subject}`, email: `${subject.toLowerCase().replace(/\W+/g, '-')}@example.com` },
      message: { body: `Hello, about ${subject}` },
    },
  });
  if (res.status !== 201) throw new Error(`conversation: ${res.text}`);
  return res.body as { id: string };
}

describe.skipIf(!existsSync(CHROMIUM))('ticket card pickers (browser)', () => {
  beforeAll(async () => {
    s = await startTestServer();
    ada = await createUser('Ada Agent');
    bob = await createUser('Bob Agent');
    cleo = await createUser('Cleo Agent');
    const members = await s.req('PATCH', `/inboxes/${s.inboxId}`, {
      auth: s.admin,
      body: { members: [ada.id, bob.id, cleo.id] },
    });
    expect(members.status).toBe(200);
    // No automatic assignment: the assignee changes only by hand here.
    const routing = await s.req('GET', '/routing/settings', { auth: s.admin });
    if (routing.status === 200)
      expect(
        (await s.req('PUT', '/routing/settings', { auth: s.admin, body: { ...routing.body, defaultCapacity: 0 } })).status,
      ).toBe(200);
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await s?.close();
  });

  it('keyboard only: open, filter, arrow, Enter picks the assignee (saved, live for another agent); Escape keeps it', async () => {
    const conv = await newConversation('Picker keyboard');
    expect(await assigneeOf(conv.id)).toBeNull();
    // Bob has the room open too: he sees the change without reloading.
    const watcher = await signIn(bob);
    await watcher.goto(`${s.url}/inbox/${conv.id}`);
    const watched = picker(watcher, 'Assignee');
    await watched.waitFor();
    expect(await watched.getAttribute('data-value')).toBe('');

    const page = await signIn(ada);
    await page.goto(`${s.url}/inbox/${conv.id}`);
    const button = picker(page, 'Assignee');
    await button.waitFor();
    const buttonId = (await button.getAttribute('id'))!;
    expect(await pickerText(button)).toBe('Nobody');

    // Down arrow opens it; the focus goes to its filter box, on the current choice.
    await button.focus();
    await page.keyboard.press('ArrowDown');
    await button.and(page.locator('[aria-expanded="true"]')).waitFor();
    const listbox = page.locator(`[id="${await button.getAttribute('aria-controls')}"]`);
    await listbox.waitFor();
    expect(await listbox.locator('[role="option"] [data-text]').allTextContents()).toEqual(
      expect.arrayContaining(['Nobody', 'Ada Agent', 'Bob Agent', 'Cleo Agent']),
    );
    await expect.poll(() => focus(page)).toMatchObject({ tag: 'input', activeOption: 'Nobody' });
    await page.screenshot({ path: join(DOC_SHOTS, 'ticket-picker-1280.png') });

    // Typing filters; the arrow moves to the second match; Enter picks it and saves.
    await page.keyboard.type('agent');
    await listbox.getByRole('option', { name: 'Nobody' }).waitFor({ state: 'detached' });
    await expect.poll(() => focus(page)).toMatchObject({ activeOption: 'Ada Agent' });
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => focus(page)).toMatchObject({ activeOption: 'Bob Agent' });
    await page.keyboard.press('Enter');
    await listbox.waitFor({ state: 'detached' });
    await expect.poll(() => focus(page)).toMatchObject({ id: buttonId });
    expect(await pickerText(button)).toBe('Bob Agent');
    await waitFor(async () => (await assigneeOf(conv.id)) === bob.id, { timeoutMs: 30_000 });
    await watcher.locator(`[id="${await watched.getAttribute('id')}"][data-value="${bob.id}"]`).waitFor();
    expect(await pickerText(watched)).toBe('Bob Agent');

    // Escape closes without a change, and the focus is back on the button.
    await page.keyboard.press('ArrowDown');
    await listbox.waitFor();
    await page.keyboard.type('cleo');
    await expect.poll(() => focus(page)).toMatchObject({ activeOption: 'Cleo Agent' });
    await page.keyboard.press('Escape');
    await listbox.waitFor({ state: 'detached' });
    await expect.poll(() => focus(page)).toMatchObject({ id: buttonId });
    expect(await button.getAttribute('data-value')).toBe(bob.id);

    // A short list (priority) has no filter box: the list itself has the focus; End, Home, arrows and Enter.
    const priority = picker(page, 'Priority');
    await priority.focus();
    await page.keyboard.press('End');
    await priority.and(page.locator('[aria-expanded="true"]')).waitFor();
    const prioList = page.locator(`[id="${await priority.getAttribute('aria-controls')}"]`);
    await prioList.waitFor();
    await expect.poll(() => focus(page)).toMatchObject({ tag: 'ul', activeOption: 'Urgent' });
    await page.keyboard.press('Home');
    await expect.poll(() => focus(page)).toMatchObject({ activeOption: 'Low' });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await prioList.waitFor({ state: 'detached' });
    await waitFor(async () => (await s.req('GET', `/conversations/${conv.id}`, { auth: s.admin })).body.priority === 'high', {
      timeoutMs: 30_000,
    });

    // A click outside closes it, changing nothing; the helper the other suites use picks by mouse.
    await priority.click();
    await prioList.waitFor();
    await page.locator('#room-title').click();
    await prioList.waitFor({ state: 'detached' });
    await pick(page, 'Status', { value: (await statusId('pending'))! });
    await waitFor(
      async () => (await s.req('GET', `/conversations/${conv.id}`, { auth: s.admin })).body.status.category === 'pending',
      {
        timeoutMs: 30_000,
      },
    );
    expect(await assigneeOf(conv.id)).toBe(bob.id);
  }, 180_000);

  it('at 390 px the list is a bottom sheet that fits on the screen', async () => {
    const conv = await newConversation('Picker phone');
    const phone = await signIn(ada, { width: 390, height: 844 });
    await phone.goto(`${s.url}/inbox/${conv.id}`);
    await phone.locator('[data-side-toggle]').click();
    // The drawer slides in (a transform, which would also place a fixed list inside it): wait until it is still.
    await phone.waitForFunction(
      () => (globalThis as any).getComputedStyle((globalThis as any).document.getElementById('room-side')).transform === 'none',
    );
    const button = picker(phone, 'Assignee');
    await button.waitFor();
    await button.focus();
    await phone.keyboard.press('ArrowDown');
    const popup = phone.locator('[data-picker-popup]');
    await popup.waitFor();
    const box = (await popup.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(box.y + box.height).toBeLessThanOrEqual(844);
    expect(box.width).toBeGreaterThan(380);
    const overflow = await phone.evaluate(
      () => (globalThis as any).document.documentElement.scrollWidth - (globalThis as any).innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.screenshot({ path: join(DOC_SHOTS, 'ticket-picker-390.png') });
    await phone.keyboard.type('cleo');
    await phone.keyboard.press('Enter');
    await popup.waitFor({ state: 'detached' });
    await waitFor(async () => (await assigneeOf(conv.id)) === cleo.id, { timeoutMs: 30_000 });
  }, 120_000);
});

async function statusId(category: string): Promise<string | undefined> {
  const res = await s.req('GET', '/statuses', { auth: s.admin });
  return (res.body.data as { id: string; category: string }[]).find((x) => x.category === category)?.id;
}
