import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './helpers/browser';
import { pick } from './helpers/picker';
import { startTestServer, type TestServer, waitFor } from './helpers/test-server';

// The agent workspace (SvelteKit, web/build) in a real Chromium against the real server: pages, form
// actions, the agent socket and the API all on the server's one port. `npm test` builds web/ first.

interface TestUser {
  id: string;
  email: string;
  password: string;
  name: string;
}

let s: TestServer;
let browser: Browser;
let agent1: TestUser;
let agent2: TestUser;
let supervisor: TestUser;
let outsider: TestUser;
let secretInboxId: string;
let closedStatusId: string;
const contexts: BrowserContext[] = [];

async function createUser(role: 'agent' | 'supervisor', name: string): Promise<TestUser> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}@test.autocrm.dev`;
  const password = `pw-${name}-123456`;
  const res = await s.req('POST', '/users', { auth: s.admin, body: { email, name, role, password } });
  if (res.status !== 201) throw new Error(`user: ${res.text}`);
  return { id: res.body.id, email, password, name };
}

async function newConversation(subject: string, inboxId = s.inboxId) {
  const res = await s.req('POST', '/conversations', {
    auth: s.admin,
    body: {
      inboxId,
      subject,
      contact: { name: `Customer of ${subject}`, email: `${subject.toLowerCase().replace(/\W+/g, '-')}@example.com` },
      message: { body: `Hello, about ${subject}` },
    },
  });
  if (res.status !== 201) throw new Error(`conversation: ${res.text}`);
  return res.body as { id: string; number: number };
}

async function messagesOf(id: string): Promise<any[]> {
  return (await s.req('GET', `/conversations/${id}/messages?limit=200`, { auth: s.admin })).body.data;
}

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

beforeAll(async () => {
  s = await startTestServer();
  agent1 = await createUser('agent', 'Ada Agent');
  agent2 = await createUser('agent', 'Bob Agent');
  supervisor = await createUser('supervisor', 'Sue Supervisor');
  outsider = await createUser('agent', 'Otto Outsider');
  expect(
    (await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [agent1.id, agent2.id] } })).status,
  ).toBe(200);
  const secret = await s.req('POST', '/inboxes', {
    auth: s.admin,
    body: { name: 'Secret inbox', channel: 'email', members: [outsider.id] },
  });
  secretInboxId = secret.body.id;
  // Routing would hand new conversations to whoever is online; these tests assign by hand, so agents
  // get no automatic capacity here (Unassigned stays unassigned until someone takes it).
  const routing = await s.req('GET', '/routing/settings', { auth: s.admin });
  if (routing.status === 200)
    expect(
      (await s.req('PUT', '/routing/settings', { auth: s.admin, body: { ...routing.body, defaultCapacity: 0 } })).status,
    ).toBe(200);
  // The "/hello" shortcut below is a server macro like any other (there are no built-in templates).
  const greeting = await s.req('POST', '/macros', {
    auth: s.admin,
    body: {
      name: 'Greeting',
      shortcut: 'hello',
      visibility: 'shared',
      body: '<p>Hi {{contact.name}}, thanks for reaching out!</p>',
    },
  });
  expect(greeting.status).toBe(201);
  const statuses = (await s.req('GET', '/statuses', { auth: s.admin })).body.data as { id: string; category: string }[];
  closedStatusId = statuses.find((x) => x.category === 'closed')!.id;
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await s?.close();
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

/** Signs in through the login form action (no browser) and returns the cookie header. */
async function pageSession(user: { email: string; password: string }): Promise<string> {
  const res = await fetch(`${s.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: s.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: user.email, password: user.password }),
  });
  expect(res.status).toBe(303);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  expect(cookie).toMatch(/^autocrm_session=/);
  return cookie;
}

const getPage = (path: string, cookie: string) => fetch(`${s.url}${path}`, { redirect: 'manual', headers: { cookie } });
const postAction = (path: string, cookie: string, form: Record<string, string>) =>
  fetch(`${s.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, origin: s.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });

describe('workspace pages on the server (no JavaScript)', () => {
  it('sends visitors without a session to /login and does not shadow API or ops paths', async () => {
    const res = await fetch(`${s.url}/inbox`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2Finbox');
    const api404 = await fetch(`${s.url}/api/v1/no-such-thing`);
    expect(api404.status).toBe(404);
    expect(((await api404.json()) as any).error.code).toBe('not_found');
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    // Only the workspace's own pages and assets go to SvelteKit; other paths stay JSON 404s.
    const other = await fetch(`${s.url}/no/such/route`, { redirect: 'manual' });
    expect(other.status).toBe(404);
    expect(((await other.json()) as any).error.code).toBe('not_found');
    expect((await fetch(`${s.url}/favicon.svg`)).headers.get('content-type')).toMatch(/svg/);
    const bad = await postAction('/login', '', { email: agent1.email, password: 'wrong password' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Wrong email or password.');
    // Form posts from another site are refused.
    const cross = await fetch(`${s.url}/login`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: agent1.email, password: agent1.password }),
    });
    expect(cross.status).toBe(403);
  });

  it('an agent cannot see inboxes they do not belong to; a supervisor can', async () => {
    const secret = await newConversation('Secret merger talk', secretInboxId);
    const open = await newConversation('Ordinary question');
    const agentCookie = await pageSession(agent1);
    const supCookie = await pageSession(supervisor);
    const outsiderCookie = await pageSession(outsider);

    const agentRoom = await getPage(`/inbox/${secret.id}`, agentCookie);
    expect(agentRoom.status).toBe(404);
    expect(await agentRoom.text()).not.toContain('Secret merger talk');
    const agentAll = await (await getPage('/inbox?view=all', agentCookie)).text();
    expect(agentAll).toContain('Ordinary question');
    expect(agentAll).not.toContain('Secret merger talk');
    expect((await getPage('/supervisor', agentCookie)).status).toBe(403);
    // An action on a conversation the agent cannot see changes nothing.
    const sneaky = await postAction(`/inbox/${secret.id}?/update`, agentCookie, { priority: 'urgent' });
    expect(sneaky.status).toBe(404);
    expect((await s.req('GET', `/conversations/${secret.id}`, { auth: s.admin })).body.priority).toBe('normal');

    const supRoom = await getPage(`/inbox/${secret.id}`, supCookie);
    expect(supRoom.status).toBe(200);
    expect(await supRoom.text()).toContain('Secret merger talk');
    expect(await (await getPage('/inbox?view=all', supCookie)).text()).toContain('Secret merger talk');
    expect(await (await getPage('/supervisor', supCookie)).text()).toContain('Secret merger talk');

    // The outsider sees only their own inbox.
    expect((await getPage(`/inbox/${secret.id}`, outsiderCookie)).status).toBe(200);
    expect((await getPage(`/inbox/${open.id}`, outsiderCookie)).status).toBe(404);
  });

  it('form actions work without JavaScript: ticket fields, validation errors, reply, sign out', async () => {
    const fieldRes = await s.req('POST', '/custom-fields', {
      auth: s.admin,
      body: { key: 'seats', label: 'Seats', type: 'number' },
    });
    expect(fieldRes.status).toBe(201);
    const conv = await newConversation('No script please');
    const cookie = await pageSession(agent1);

    const ok = await postAction(`/inbox/${conv.id}?/update`, cookie, { priority: 'high', assigneeId: agent1.id });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('Saved.');
    const after = (await s.req('GET', `/conversations/${conv.id}`, { auth: s.admin })).body;
    expect(after).toMatchObject({ priority: 'high', assigneeId: agent1.id });

    const bad = await postAction(`/inbox/${conv.id}?/update`, cookie, { cf: 'seats', cf_seats: 'lots' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/data-field-error="seats"/);
    expect((await s.req('GET', `/conversations/${conv.id}`, { auth: s.admin })).body.customFields.seats).toBeUndefined();
    const good = await postAction(`/inbox/${conv.id}?/update`, cookie, { cf: 'seats', cf_seats: '12' });
    expect(good.status).toBe(200);
    expect((await s.req('GET', `/conversations/${conv.id}`, { auth: s.admin })).body.customFields.seats).toBe(12);

    const reply = await postAction(`/inbox/${conv.id}?/reply`, cookie, { body: 'Plain <reply>\nline two', clientId: 'nojs-1' });
    expect(reply.status).toBe(200);
    const again = await postAction(`/inbox/${conv.id}?/reply`, cookie, { body: 'Plain <reply>\nline two', clientId: 'nojs-1' });
    expect(again.status).toBe(200);
    const stored = (await messagesOf(conv.id)).filter((m) => m.clientId === 'nojs-1');
    expect(stored).toHaveLength(1);
    expect(stored[0].bodyHtml).toContain('Plain &lt;reply&gt;');

    const out = await postAction('/logout', cookie, {});
    expect(out.status).toBe(303);
    expect((await getPage('/inbox', cookie)).status).toBe(303);
    expect((await s.req('GET', '/auth/session', { headers: { cookie } })).status).toBe(401);
  });

  it('saved views: personal or shared, listed in the queue, applied as filters, deleted by whom it belongs to', async () => {
    await newConversation('Urgent saved-view case').then((c) =>
      s.req('PATCH', `/conversations/${c.id}`, { auth: s.admin, body: { priority: 'urgent', addTags: ['vip'] } }),
    );
    await newConversation('Calm saved-view case');
    const ada = await pageSession(agent1);
    const bob = await pageSession(agent2);
    const filters = { view: 'all', state: 'open', priority: 'urgent', sort: 'waiting', q: '', tag: 'vip' };
    const mine = await postAction('/inbox?/saveView', ada, { name: 'My urgent VIPs', ...filters });
    expect(mine.status).toBe(200);
    const shared = await postAction('/inbox?/saveView', ada, { name: 'Team urgent', shared: 'on', ...filters });
    expect(shared.status).toBe(200);
    const bad = await postAction('/inbox?/saveView', ada, { name: '', ...filters });
    expect(bad.status).toBe(400);

    const adaViews = (await s.req('GET', '/views', { auth: await s.login(agent1.email, agent1.password) })).body.data;
    expect(adaViews.map((v: any) => [v.name, v.shared])).toEqual([
      ['Team urgent', true],
      ['My urgent VIPs', false],
    ]);
    const bobPage = await (await getPage('/inbox', bob)).text();
    expect(bobPage).toContain('Team urgent');
    expect(bobPage).not.toContain('My urgent VIPs');

    // The saved filters select the urgent VIP conversation only.
    const href = /href="([^"]+)"[^>]*>\s*(?:<!---->)?\s*<span>My urgent VIPs/.exec(
      await (await getPage('/inbox', ada)).text(),
    )?.[1];
    expect(href).toBeDefined();
    const applied = await (await getPage(href!.replaceAll('&amp;', '&'), ada)).text();
    expect(applied).toContain('Urgent saved-view case');
    expect(applied).not.toContain('Calm saved-view case');

    // Bob (an agent) may not delete the shared view; Ada may delete her own.
    const sharedId = adaViews.find((v: any) => v.shared).id;
    expect((await postAction('/inbox?/deleteView', bob, { id: sharedId })).status).toBe(403);
    const ownId = adaViews.find((v: any) => !v.shared).id;
    expect((await postAction('/inbox?/deleteView', bob, { id: ownId })).status).toBe(400);
    expect((await postAction('/inbox?/deleteView', ada, { id: ownId })).status).toBe(200);
    expect((await s.req('GET', '/views', { auth: await s.login(agent1.email, agent1.password) })).body.data).toHaveLength(1);
  });
});
