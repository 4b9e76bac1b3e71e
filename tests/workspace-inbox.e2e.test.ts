import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { pick } from './helpers/picker';
import { waitFor } from './helpers/test-server';
import {
  agent1,
  agent2,
  browser,
  closedStatusId,
  contexts,
  messagesOf,
  newConversation,
  s,
  supervisor,
  type TestUser,
  useWorkspaceServer,
} from './helpers/workspace-server';

// The agent workspace (SvelteKit, web/build) in a real Chromium against the real server: pages, form
// actions, the agent socket and the API all on the server's one port. `npm test` builds web/ first.
// The same pages without JavaScript are in workspace-pages-no-js.

useWorkspaceServer({ browser: true });

async function signIn(user: TestUser, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${s.url}/inbox`);
  expect(new URL(page.url()).pathname).toBe('/login');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === '/inbox');
  return page;
}

/** The live badge turns on once the agent socket is connected. */
const live = (page: Page) => page.locator('.head .badge.accent').waitFor();

/** The reply box's text, without co-editors' caret labels (they sit inside the editable element). */
const draftText = (page: Page) =>
  page.locator('.editor').evaluate((el) => {
    const copy = el.cloneNode(true) as any;
    for (const c of copy.querySelectorAll('.collaboration-carets__caret')) c.remove();
    return copy.textContent ?? '';
  });

describe('agent workspace in a browser', () => {
  it('queue live, reply with formatting and a macro, note, viewers, typing, collision, supervisor take-over', async () => {
    const page = await signIn(agent1);
    await page.goto(`${s.url}/inbox?view=unassigned`);
    await live(page);
    // Marks this document: if the page reloaded, the mark would be gone.
    await page.evaluate(() => ((globalThis as any).__noReload = true));

    const conv = await newConversation('Printer on fire');
    const row = page.locator('li.row', { hasText: 'Printer on fire' });
    await row.waitFor();
    expect(await page.evaluate(() => (globalThis as any).__noReload)).toBe(true);
    await expect.poll(() => page.locator('[data-count="unassigned"]').textContent()).toBe('1');

    // Open it and take it.
    await row.getByRole('link').click();
    await page.waitForURL(`**/inbox/${conv.id}`);
    await page.locator('ol.history').getByText('Hello, about Printer on fire').waitFor();
    await page.locator('[data-take-over]').click();
    await waitFor(async () => (await s.req('GET', `/conversations/${conv.id}`, { auth: s.admin })).body.assigneeId === agent1.id);
    await page.locator('[data-assignee]', { hasText: 'Ada Agent' }).waitFor();

    // A reply with bold text, sent over the socket.
    const editor = page.locator('.editor');
    await editor.click();
    await page.keyboard.type('Thanks, ');
    await page.keyboard.press('Control+b');
    await page.keyboard.type('we are on it');
    await page.keyboard.press('Control+b');
    await page.locator('[data-send]').click();
    await waitFor(async () => (await messagesOf(conv.id)).some((m) => /<(b|strong)>we are on it<\/(b|strong)>/.test(m.bodyHtml)));
    const reply = (await messagesOf(conv.id)).find((m) => m.bodyText.includes('we are on it'));
    expect(reply).toMatchObject({ authorKind: 'agent', authorId: agent1.id, private: false });
    await page.locator('li.msg.mine:not([data-pending])', { hasText: 'we are on it' }).waitFor();

    // A "/" macro fills in the contact's name.
    await editor.click();
    await page.keyboard.type('/hel');
    await page.locator('.macros button', { hasText: '/hello' }).waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => editor.textContent()).toContain('Hi Customer of Printer on fire');
    await page.locator('[data-send]').click();
    await waitFor(async () => (await messagesOf(conv.id)).some((m) => m.bodyText.includes('Hi Customer of Printer on fire')));

    // An internal note: stored private, shown as a note.
    await page.locator('[data-note-toggle]').check();
    await editor.click();
    await page.keyboard.type('Customer is on the pro plan');
    await page.locator('[data-send]').click();
    await waitFor(async () => (await messagesOf(conv.id)).some((m) => m.private && m.bodyText.includes('pro plan')));
    await page.locator('li.msg.note[data-kind="note"]', { hasText: 'pro plan' }).waitFor();
    await page.locator('[data-note-toggle]').uncheck();

    // A second agent opens the room: the first sees them viewing, and sees them typing.
    const page2 = await signIn(agent2);
    await page2.goto(`${s.url}/inbox/${conv.id}`);
    await page.locator('[data-viewers]', { hasText: 'Bob Agent' }).waitFor();
    await page2.locator('[data-viewers]', { hasText: 'Ada Agent' }).waitFor();
    await page2.locator('.editor').click();
    await page2.keyboard.type('I can take this one');
    await page.locator('[data-typing]', { hasText: 'Bob Agent typing' }).waitFor();
    // The reply box is one draft shared by the room's agents (see workspace-collab.e2e): Bob's words
    // are in Ada's box too, and sending empties both.
    await expect.poll(() => editor.textContent()).toContain('I can take this one');
    await page2.locator('[data-send]').click();
    await page.locator('li.msg', { hasText: 'I can take this one' }).waitFor();
    await expect.poll(() => draftText(page)).toBe('');

    // Collision: Ada starts writing, Bob replies meanwhile (from elsewhere: the API); Ada is warned
    // before her reply goes out.
    await editor.click();
    await page.keyboard.type('Let me check the logs');
    const bob = await s.login(agent2.email, agent2.password);
    const bobReply = await s.req('POST', `/conversations/${conv.id}/messages`, {
      auth: bob,
      body: { body: '<p>Bob here: restarting the printer</p>' },
    });
    expect(bobReply.status).toBe(201);
    await page.locator('li.msg', { hasText: 'restarting the printer' }).waitFor();
    await page.locator('[data-send]').click();
    await page.locator('[data-collision]', { hasText: 'Bob Agent replied' }).waitFor();
    expect((await messagesOf(conv.id)).some((m) => m.bodyText.includes('Let me check the logs'))).toBe(false);
    await page.getByRole('button', { name: 'Send anyway' }).click();
    await waitFor(async () => (await messagesOf(conv.id)).some((m) => m.bodyText.includes('Let me check the logs')));

    // The second agent leaves: the viewing indicator goes away.
    await page2.close();
    await page.locator('[data-viewers]').waitFor({ state: 'detached' });

    // A supervisor watches the board, sees the room's last message change live, whispers and takes over.
    const sup = await signIn(supervisor);
    await sup.goto(`${s.url}/supervisor`);
    await sup.locator('[data-supervising="true"]').waitFor();
    const card = sup.locator(`[data-room="${conv.id}"]`);
    await card.waitFor();
    await editor.click();
    await page.keyboard.type('Replacing the toner now');
    await page.locator('[data-send]').click();
    await card.locator('[data-last-message]', { hasText: 'Replacing the toner now' }).waitFor();
    await sup.locator(`[data-agent="${agent1.id}"][data-presence="online"]`).waitFor();

    await card.click();
    await sup.waitForURL(`**/inbox/${conv.id}`);
    await page.locator('[data-viewers]', { hasText: 'Sue Supervisor' }).waitFor();
    await sup.locator('[data-note-toggle]').check();
    await sup.locator('.editor').click();
    await sup.keyboard.type('Ada, offer a replacement');
    await sup.locator('[data-send]').click();
    await page.locator('li.msg.note', { hasText: 'offer a replacement' }).waitFor();
    await sup.getByRole('button', { name: 'Take over' }).click();
    await waitFor(
      async () => (await s.req('GET', `/conversations/${conv.id}`, { auth: s.admin })).body.assigneeId === supervisor.id,
    );
    await page.locator('[data-assignee]', { hasText: 'Sue Supervisor' }).waitFor();
    // Everything Ada sent is stored once.
    const bodies = (await messagesOf(conv.id)).map((m) => m.bodyText);
    expect(bodies.filter((b) => b.includes('Let me check the logs'))).toHaveLength(1);
  }, 180_000);

  it('bulk-closes three conversations from the queue', async () => {
    const convs = await Promise.all(['Bulk one', 'Bulk two', 'Bulk three'].map((x) => newConversation(x)));
    const keep = await newConversation('Bulk keep');
    const page = await signIn(agent1);
    await page.goto(`${s.url}/inbox?view=all`);
    await live(page);
    for (const c of convs) await page.locator(`li.row[data-id="${c.id}"] input[type=checkbox]`).check();
    await pick(page, 'Bulk action', { value: 'status' });
    await pick(page, 'Set status', { value: closedStatusId });
    await page.getByRole('button', { name: 'Apply to selected' }).click();
    await page.getByText('Updated 3 conversations.').waitFor();
    for (const c of convs) {
      const got = (await s.req('GET', `/conversations/${c.id}`, { auth: s.admin })).body;
      expect(got.status.category).toBe('closed');
      await page.locator(`li.row[data-id="${c.id}"]`).waitFor({ state: 'detached' });
    }
    expect((await s.req('GET', `/conversations/${keep.id}`, { auth: s.admin })).body.status.category).toBe('open');
    await page.locator(`li.row[data-id="${keep.id}"]`).waitFor();
  }, 120_000);

  it('keyboard: j/k move through the queue, a assigns to me, Enter opens', async () => {
    const conv = await newConversation('Keyboard case');
    const page = await signIn(agent2);
    await page.goto(`${s.url}/inbox?view=unassigned&sort=activity`);
    await live(page);
    await page.locator('li.row', { hasText: 'Keyboard case' }).waitFor();
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await expect
      .poll(() => page.evaluate(() => (globalThis as any).document.activeElement?.textContent ?? ''))
      .toContain('Keyboard case');
    await page.keyboard.press('a');
    await waitFor(async () => (await s.req('GET', `/conversations/${conv.id}`, { auth: s.admin })).body.assigneeId === agent2.id);
    await page.goto(`${s.url}/inbox?view=mine`);
    await live(page);
    await page.locator('li.row', { hasText: 'Keyboard case' }).waitFor();
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await expect
      .poll(() => page.evaluate(() => (globalThis as any).document.activeElement?.textContent ?? ''))
      .toContain('Keyboard case');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/inbox/${conv.id}`);
  }, 120_000);

  it('screenshots of the queue and the room at desktop and phone width', async () => {
    const conv = await newConversation('Screenshot case');
    await s.req('POST', `/conversations/${conv.id}/notes`, {
      auth: s.admin,
      body: { body: 'An internal note for the screenshot' },
    });
    for (const [name, viewport] of [
      ['desktop', { width: 1280, height: 800 }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      const page = await signIn(supervisor, viewport);
      await page.goto(`${s.url}/inbox?view=all`);
      await live(page);
      await page.screenshot({ path: `/tmp/workspace-queue-${name}.png` });
      await page.goto(`${s.url}/inbox/${conv.id}`);
      await page.getByText('An internal note for the screenshot').waitFor();
      await page.screenshot({ path: `/tmp/workspace-room-${name}.png`, fullPage: name === 'phone' });
      // Nothing wider than the screen on a phone.
      const overflow = await page.evaluate(
        () => (globalThis as any).document.documentElement.scrollWidth - (globalThis as any).innerWidth,
      );
      expect(overflow, name).toBeLessThanOrEqual(0);
    }
  }, 120_000);
});
