import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './helpers/browser';
import { agentSocket, collect, connected } from './helpers/sockets';
import { startTestServer, type TestServer, waitFor } from './helpers/test-server';

// The reply editor in a real Chromium: two agents co-edit one draft of a room (TipTap + Yjs over
// /collab), see each other's named carets, send once, paste an image, and @mention each other.

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
const contexts: BrowserContext[] = [];

async function createUser(name: string): Promise<TestUser> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}@test.autocrm.dev`;
  const password = `pw-${name}-123456`;
  const res = await s.req('POST', '/users', { auth: s.admin, body: { email, name, role: 'agent', password } });
  if (res.status !== 201) throw new Error(`user: ${res.text}`);
  return { id: res.body.id, email, password, name };
}

async function signIn(user: TestUser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${s.url}/inbox`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === '/inbox');
  return page;
}

async function messagesOf(id: string): Promise<any[]> {
  return (await s.req('GET', `/conversations/${id}/messages?limit=200`, { auth: s.admin })).body.data;
}

// A 2x2 PNG.
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAFklEQVR42mP8z8Dwn4GBgYGJAQoAAB0ABf0QmQ8AAAAASUVORK5CYII=';

/** The reply box's text, without co-editors' caret labels (they sit inside the editable element). */
const draftText = (page: Page) =>
  page.locator('.editor').evaluate((el) => {
    const copy = el.cloneNode(true) as any;
    for (const c of copy.querySelectorAll('.collaboration-carets__caret')) c.remove();
    return copy.textContent ?? '';
  });

beforeAll(async () => {
  s = await startTestServer();
  ada = await createUser('Ada Agent');
  bob = await createUser('Bob Agent');
  expect((await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [ada.id, bob.id] } })).status).toBe(
    200,
  );
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await s?.close();
});

describe('collaborative reply editor', () => {
  it('two agents co-edit one draft with named carets, send once, paste an image and @mention', async () => {
    const created = await s.req('POST', '/conversations', {
      auth: s.admin,
      body: {
        inboxId: s.inboxId,
        subject: 'Shared draft',
        contact: { name: 'Carla Customer', email: 'carla@example.com' },
        message: { body: 'My order never arrived' },
      },
    });
    expect(created.status).toBe(201);
    const convId = created.body.id as string;

    const pageA = await signIn(ada);
    const pageB = await signIn(bob);
    for (const p of [pageA, pageB]) {
      await p.goto(`${s.url}/inbox/${convId}`);
      await p.locator('ol.history').getByText('My order never arrived').waitFor();
      await p.locator('[data-collab-ready="true"]').waitFor();
    }
    const editorA = pageA.locator('.editor');
    const editorB = pageB.locator('.editor');

    // Ada types; Bob sees the words arrive and Ada's named caret.
    await editorA.click();
    await pageA.keyboard.type('Hello Carla, I am checking your order');
    await expect.poll(() => editorB.textContent(), { timeout: 10_000 }).toContain('Hello Carla, I am checking your order');
    await pageB.locator('.collaboration-carets__label', { hasText: 'Ada Agent' }).waitFor();

    // Bob adds a line; Ada sees it, and Bob's caret.
    await editorB.click();
    await pageB.keyboard.press('Control+End');
    await pageB.keyboard.press('Enter');
    await pageB.keyboard.type('It left our warehouse on Monday.');
    await expect.poll(() => editorA.textContent(), { timeout: 10_000 }).toContain('It left our warehouse on Monday.');
    await pageA.locator('.collaboration-carets__label', { hasText: 'Bob Agent' }).waitFor();
    await pageA.screenshot({ path: '/tmp/collab-ada.png' });
    await pageB.screenshot({ path: '/tmp/collab-bob.png' });

    // Ada sends: both boxes empty, the message is stored and shown once.
    await pageA.locator('[data-send]').click();
    await waitFor(async () => (await messagesOf(convId)).some((m) => m.bodyText.includes('warehouse on Monday')));
    await expect.poll(() => draftText(pageA)).toBe('');
    await expect.poll(() => draftText(pageB)).toBe('');
    await pageB.locator('li.msg:not([data-pending])', { hasText: 'warehouse on Monday' }).waitFor();
    const sent = (await messagesOf(convId)).filter((m) => m.bodyText.includes('warehouse on Monday'));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ authorId: ada.id, private: false });
    expect(sent[0].bodyText).toContain('Hello Carla');
    expect(await pageA.locator('li.msg', { hasText: 'warehouse on Monday' }).count()).toBe(1);
    expect(await pageB.locator('li.msg', { hasText: 'warehouse on Monday' }).count()).toBe(1);

    // A pasted image is uploaded and shows in both boxes.
    await editorA.click();
    await pageA.evaluate((b64) => {
      const g = globalThis as any;
      const bytes = Uint8Array.from(g.atob(b64) as string, (c) => c.charCodeAt(0));
      const dt = new g.DataTransfer();
      dt.items.add(new File([bytes], 'screenshot.png', { type: 'image/png' }));
      g.document
        .querySelector('.editor')
        .dispatchEvent(new g.ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, PNG_BASE64);
    const imgA = pageA.locator('.editor img[src*="/widget-uploads/"]');
    await imgA.waitFor();
    await pageB.locator('.editor img[src*="/widget-uploads/"]').waitFor();
    const src = await imgA.getAttribute('src');
    const file = await fetch(src!);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    await pageA.locator('[data-send]').click();
    // Shown with a fresh signature: the same file, signed again.
    const path = src!.split('?')[0];
    await waitFor(async () => (await messagesOf(convId)).some((m) => m.bodyHtml.includes(`<img src="${path}?exp=`)));

    // An internal note mentioning Bob notifies Bob.
    const bobSession = await s.login(bob.email, bob.password);
    const bobSocket = agentSocket(s.url, bobSession);
    try {
      await connected(bobSocket);
      const notes = collect(bobSocket, 'notification');
      await pageA.locator('[data-note-toggle]').check();
      await editorA.click();
      await pageA.keyboard.type('Escalating to @Bo');
      await pageA.locator('[data-mention-list] button', { hasText: 'Bob Agent' }).waitFor();
      await pageA.keyboard.press('Enter');
      await pageA.keyboard.type('please call the courier');
      await expect.poll(() => editorA.locator('.mention').textContent()).toBe('@Bob Agent');
      await pageA.locator('[data-send]').click();
      await waitFor(async () => (await messagesOf(convId)).some((m) => m.private && m.bodyHtml.includes(`data-id="${bob.id}"`)));
      await waitFor(() => notes.some((n) => n.kind === 'mention' && n.conversationId === convId));
      expect(notes.find((n) => n.kind === 'mention')!.title).toContain('Ada Agent mentioned you');
      await pageB.locator('li.msg.note', { hasText: 'please call the courier' }).waitFor();
    } finally {
      bobSocket.close();
    }
  }, 120_000);

  it('following a link to another room moves the live listeners and the draft there; the rating shows', async () => {
    const contact = { name: 'Rita Repeat', email: 'rita@example.com' };
    const make = async (subject: string) => {
      const res = await s.req('POST', '/conversations', {
        auth: s.admin,
        body: { inboxId: s.inboxId, subject, contact, message: { body: `First words about ${subject}` } },
      });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const first = await make('Old order');
    const second = await make('New order');
    // The customer rated the old conversation.
    await s.deps.db
      .updateTable('conversations')
      .set({ csat_rating: 4, csat_comment: 'Quick and friendly', csat_at: new Date() })
      .where('id', '=', first)
      .execute();

    const page = await signIn(ada);
    await page.goto(`${s.url}/inbox/${second}`);
    await page.locator('[data-collab-ready="true"]').waitFor();
    await page.locator('.editor').click();
    await page.keyboard.type('Draft for the new order');
    await page.evaluate(() => ((globalThis as any).__noReload = true));

    // Client-side navigation through "Previous conversations".
    await page
      .locator('[data-previous]')
      .getByRole('link', { name: /Old order/ })
      .click();
    await page.waitForURL(`**/inbox/${first}`);
    await page.locator('ol.history').getByText('First words about Old order').waitFor();
    expect(await page.evaluate(() => (globalThis as any).__noReload)).toBe(true);
    await page.locator('[data-csat="4"]', { hasText: 'Quick and friendly' }).waitFor();
    // The editor now edits the old room's (empty) draft.
    await page.locator('[data-collab-ready="true"]').waitFor();
    await expect.poll(() => draftText(page)).toBe('');

    // Live messages: the open room's arrive, the room left behind's do not.
    const post = (id: string, body: string) =>
      s.req('POST', `/conversations/${id}/messages`, { auth: s.admin, body: { body, private: true } });
    expect((await post(second, '<p>note in the new room</p>')).status).toBe(201);
    expect((await post(first, '<p>note in the old room</p>')).status).toBe(201);
    await page.locator('li.msg', { hasText: 'note in the old room' }).waitFor();
    expect(await page.locator('li.msg', { hasText: 'note in the new room' }).count()).toBe(0);

    // Back to the new room: its draft is still there.
    await page.goBack();
    await page.waitForURL(`**/inbox/${second}`);
    await page.locator('[data-collab-ready="true"]').waitFor();
    await expect.poll(() => draftText(page)).toContain('Draft for the new order');
    await page.locator('li.msg', { hasText: 'note in the new room' }).waitFor();
  }, 60_000);
});
