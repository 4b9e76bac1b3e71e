import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
// @ts-expect-error: a plain .mjs build script without types
import { buildWidget } from '../widget/build.mjs';
import { launchChromium } from './helpers/browser';
import { startHostPage } from './helpers/host-page';
import { agentSocket, call, connected, type TestSocket } from './helpers/sockets';
import { ADMIN, BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

declare const window: any;

// Two browsers (agent and visitor) per flow, several uploads: slow on a loaded 2-core machine.
vi.setConfig({ testTimeout: 180_000 });

/**
 * Files both ways and typing that ends, in real Chromium: a visitor in the widget (on its own origin)
 * and an agent in the workspace on the same conversation.
 */

// A 2x2 PNG and the smallest PDF file-type recognises.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAFklEQVR42mP8z8Dwn4GBgYGJAQoAAB0ABf0QmQ8AAAAASUVORK5CYII=',
  'base64',
);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

let browser: Browser;
const contexts: BrowserContext[] = [];

async function newPage(viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err.message));
  return page;
}

async function signIn(s: TestServer, page: Page, to: string) {
  await page.goto(`${s.url}${to}`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === to);
}

async function setup(opts: { bot?: boolean } = {}) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'autocrm-inbox18-'));
  const s = await startTestServer({ env: { DATA_DIR: dataDir }, ...(opts.bot ? { bot: true } : {}) });
  const inboxes = await s.req('GET', '/inboxes', { auth: s.admin });
  const websiteToken = inboxes.body.data.find((i: { id: string }) => i.id === s.inboxId).websiteToken as string;
  expect((await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [s.admin.userId] } })).status).toBe(
    200,
  );
  const host = await startHostPage({ serverUrl: s.url, websiteToken, title: 'Host shop' });
  return {
    s,
    host,
    close: async () => {
      await host.close();
      await s.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const widget = (page: Page) => page.locator('autocrm-widget');

async function visitorMessage(s: TestServer, body: string) {
  return (await waitFor(() =>
    s.deps.db
      .selectFrom('messages')
      .select(['conversation_id', 'attachments'])
      .where('body_text', '=', body)
      .where('author_kind', '=', 'contact')
      .executeTakeFirst(),
  ))!;
}

beforeAll(async () => {
  await buildWidget({ quiet: true });
  browser = await launchChromium();
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
});

describe(`files both ways and typing that ends (${BACKEND}${process.env.REDIS_URL ? ' + redis' : ''})`, () => {
  let env: Awaited<ReturnType<typeof setup>>;
  let agent: TestSocket;
  let visitorPage: Page;
  let agentPage: Page;
  let conversationId: string;

  beforeAll(async () => {
    env = await setup();
    agent = agentSocket(env.s.url, env.s.admin);
    await connected(agent);
  });
  afterAll(async () => {
    agent?.disconnect();
    await env?.close();
  });

  it("a visitor's image and PDF show in the agent's room; an agent's pasted image and attached PDF show in the widget", async () => {
    const { s } = env;
    visitorPage = await newPage();
    await visitorPage.goto(env.host.url);
    const w = widget(visitorPage);
    await w.locator('button.launcher').click();
    await w.locator('#composer').fill('Hello, files are coming');
    await w.locator('#composer').press('Enter');
    conversationId = (await visitorMessage(s, 'Hello, files are coming')).conversation_id;
    await w.locator('input[type=file]').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PNG });
    await visitorMessage(s, 'photo.png');
    await w.locator('input[type=file]').setInputFiles({ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: PDF });
    const pdfRow = await visitorMessage(s, 'invoice.pdf');
    const pdfUrl = pdfRow.attachments[0]!.url;

    // The agent's room: the image as a preview, the PDF as a chip with its size, linking to the server's URL.
    agentPage = await newPage();
    await signIn(s, agentPage, `/inbox/${conversationId}`);
    await agentPage.locator('[data-collab-ready="true"]').waitFor();
    const img = agentPage.locator('.history [data-attachment="photo.png"] img');
    await img.waitFor();
    await waitFor(() => img.evaluate((el: any) => el.complete && el.naturalWidth === 2));
    const chip = agentPage.locator('.history [data-attachment="invoice.pdf"] a.chip');
    await chip.waitFor();
    // The same file; links are signed each time they are shown, so only the signature may differ.
    const href = (await chip.getAttribute('href')) ?? '';
    expect(new URL(href, s.url).pathname).toBe(new URL(pdfUrl, s.url).pathname);
    expect(await chip.textContent()).toContain('B');
    const served = await fetch(pdfUrl);
    expect(served.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await served.arrayBuffer()).equals(PDF)).toBe(true);

    // The contact card shows what the widget reported: the page, the browser, the time zone.
    const info = agentPage.locator('[data-visitor-info]');
    await info.waitFor();
    expect(await info.textContent()).toContain('Host shop');
    expect(await info.textContent()).toMatch(/Chrome on Linux/);
    expect(await agentPage.locator('.side [data-contact-name]').textContent()).toBe('Visitor · Chrome on Linux');

    // The agent attaches a PDF with the button and pastes an image into the reply, then sends.
    await agentPage
      .locator('[data-attach-input]')
      .setInputFiles({ name: 'manual.pdf', mimeType: 'application/pdf', buffer: PDF });
    await agentPage.locator('.composer [data-attachment="manual.pdf"]').waitFor();
    await agentPage.locator('.editor').click();
    await agentPage.keyboard.type('Here is the manual and a screenshot');
    await agentPage.evaluate((b64: string) => {
      const g = window;
      const bytes = Uint8Array.from(g.atob(b64), (c: string) => c.charCodeAt(0));
      const dt = new g.DataTransfer();
      dt.items.add(new g.File([bytes], 'screen.png', { type: 'image/png' }));
      g.document
        .querySelector('.editor')
        .dispatchEvent(new g.ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, PNG.toString('base64'));
    await agentPage.locator('.editor img[src*="/widget-uploads/"]').waitFor();
    await agentPage.locator('[data-send]').click();
    await agentPage.locator('.history [data-kind="agent"] [data-attachment="manual.pdf"]').waitFor();
    await agentPage.screenshot({ path: '/tmp/inbox18-room-files.png' });

    // The widget renders the pasted image (our own upload) and the PDF as a download.
    const reply = w.locator('.msg.agent').filter({ hasText: 'Here is the manual' });
    await reply.waitFor();
    const pasted = reply.locator('img[src*="/widget-uploads/"]');
    await pasted.waitFor();
    await waitFor(() => pasted.evaluate((el: any) => el.complete && el.naturalWidth === 2));
    const file = reply.locator('a.file', { hasText: 'manual.pdf' });
    await file.waitFor();
    expect(await file.getAttribute('download')).toBe('manual.pdf');
    await visitorPage.screenshot({ path: '/tmp/inbox18-widget-files.png' });

    // An image from any other host never loads in the widget (the server makes it a link; the widget drops it).
    const other = await call(agent, 'message:send', {
      conversationId,
      clientId: crypto.randomUUID(),
      body: '<p>Pixel <img src="https://tracker.example/p.gif"></p>',
    });
    expect(other.ok).toBe(true);
    await w.locator('.msg.agent').filter({ hasText: 'Pixel' }).waitFor();
    expect(await w.locator('.msg.agent img[src*="tracker.example"]').count()).toBe(0);
  });

  it('the inbox row says who (a readable visitor name), on which channel and when', async () => {
    for (const [name, viewport] of [
      ['desktop', { width: 1280, height: 800 }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      await agentPage.setViewportSize(viewport);
      await agentPage.goto(`${env.s.url}/inbox?view=all`);
      const row = agentPage.locator(`li.row[data-id="${conversationId}"]`);
      await row.waitFor();
      expect(await row.locator('[data-contact-name]').textContent()).toBe('Visitor · Chrome on Linux');
      expect(await row.locator('[data-channel="web"]').count()).toBe(1);
      expect(await row.locator('time.when').textContent()).toMatch(/^\d+(s| min| h| d)$/);
      await agentPage.screenshot({ path: `/tmp/inbox18-list-${name}.png` });
    }
    await agentPage.setViewportSize({ width: 1280, height: 800 });
    await agentPage.goto(`${env.s.url}/inbox/${conversationId}`);
    await agentPage.locator('[data-collab-ready="true"]').waitFor();
  });

  it('the Link button opens a dialog (no prompt) that refuses script links; the phone menu shows every entry', async () => {
    let prompted = false;
    agentPage.on('dialog', (d) => {
      prompted = true;
      void d.dismiss();
    });
    await agentPage.locator('.editor').click();
    await agentPage.keyboard.type('our docs');
    await agentPage.keyboard.press('ControlOrMeta+a');
    await agentPage.getByRole('button', { name: 'Link', exact: true }).click();
    const dialog = agentPage.locator('[data-link-dialog]');
    await dialog.waitFor();
    await agentPage.locator('[data-link-url]').fill('javascript:alert(1)');
    await agentPage.locator('[data-link-apply]').click();
    await dialog.getByRole('alert').waitFor();
    expect(await agentPage.locator('.editor a').count()).toBe(0);
    await agentPage.locator('[data-link-url]').fill('example.com/help');
    await agentPage.screenshot({ path: '/tmp/inbox18-link-dialog.png' });
    await agentPage.locator('[data-link-apply]').click();
    await agentPage.locator('.editor a[href="https://example.com/help"]').waitFor();
    expect(await dialog.isVisible()).toBe(false);
    expect(prompted).toBe(false);
    await agentPage.locator('.editor').click();
    await agentPage.keyboard.press('ControlOrMeta+a');
    await agentPage.keyboard.press('Backspace');

    // On a phone every entry of the top menu is on screen (none scrolled off past the edge).
    await agentPage.setViewportSize({ width: 390, height: 844 });
    const links = await agentPage.locator('nav[aria-label="Main"] a').all();
    expect(links.length).toBeGreaterThan(4);
    for (const l of links) {
      const box = (await l.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    await agentPage.screenshot({ path: '/tmp/inbox18-room-phone.png' });
    await agentPage.setViewportSize({ width: 1280, height: 800 });
  });

  it('typing indicators clear on an empty draft, fade without a new signal, and are gone after resolve', async () => {
    const { s } = env;
    const w = widget(visitorPage);
    const typingLine = w.locator('.typing');

    // The agent types in the workspace: the visitor sees it; the agent empties the draft: it clears.
    await agentPage.locator('.editor').click();
    await agentPage.keyboard.type('Let me check');
    await typingLine.getByText('is typing').waitFor();
    await agentPage.keyboard.press('ControlOrMeta+a');
    await agentPage.keyboard.press('Backspace');
    await waitFor(async () => ((await typingLine.textContent()) ?? '').trim() === '');

    // A typing signal that is never followed by another (a closed tab) fades on its own.
    await call(agent, 'room:join', { conversationId, lastSeq: 0 });
    agent.emit('typing', { conversationId, typing: true });
    await typingLine.getByText('is typing').waitFor();
    await waitFor(async () => ((await typingLine.textContent()) ?? '').trim() === '', { timeoutMs: 15_000 });

    // The visitor types: the agent sees it; the visitor empties the box: it clears for the agent.
    const agentTyping = agentPage.locator('[data-typing]');
    await w.locator('#composer').pressSequentially('Hmm');
    await agentTyping.getByText('typing').waitFor();
    await w.locator('#composer').fill('');
    await w.locator('#composer').dispatchEvent('input');
    await waitFor(async () => ((await agentTyping.textContent()) ?? '').trim() === '');

    // Resolved while the agent was typing: the CSAT card shows, the indicator does not.
    agent.emit('typing', { conversationId, typing: true });
    await typingLine.getByText('is typing').waitFor();
    const statuses = await s.req('GET', '/statuses', { auth: s.admin });
    const resolved = statuses.body.data.find((x: { category: string }) => x.category === 'resolved').id;
    expect(
      (await s.req('PATCH', `/conversations/${conversationId}`, { auth: s.admin, body: { statusId: resolved } })).status,
    ).toBe(200);
    await w.locator('.csat').waitFor();
    expect(((await typingLine.textContent()) ?? '').trim()).toBe('');
    await visitorPage.screenshot({ path: '/tmp/inbox18-widget-csat.png' });
  });
});

describe(`queue notice (${BACKEND}${process.env.REDIS_URL ? ' + redis' : ''})`, () => {
  let env: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    env = await setup({ bot: true });
    const cap = await env.s.req('PATCH', `/routing/agents/${env.s.admin.userId}`, {
      auth: env.s.admin,
      body: { capacity: { max: 1 } },
    });
    expect(cap.status).toBe(200);
  });
  afterAll(async () => env?.close());

  it('is pinned above the composer, survives a reload, and goes when a person replies', async () => {
    const { s } = env;
    const page = await newPage({ width: 390, height: 844 });
    await page.goto(env.host.url);
    const w = widget(page);
    await w.locator('button.launcher').click();
    await w.locator('#composer').fill('I want to talk to a person, please');
    await w.locator('#composer').press('Enter');
    const { conversation_id: conversationId } = await visitorMessage(s, 'I want to talk to a person, please');
    const notice = w.locator('.notice.queue');
    await notice.getByText('number 1 in line').waitFor();
    // Pinned: outside the scrolling history, so long answers never push it away.
    expect(await w.locator('.body.chat .notice.queue').count()).toBe(0);
    await page.screenshot({ path: '/tmp/inbox18-widget-queue-phone.png' });

    await page.reload();
    await w.locator('button.launcher').click();
    await notice.getByText('number 1 in line').waitFor();

    const reply = await s.req('POST', `/conversations/${conversationId}/messages`, {
      auth: s.admin,
      body: { body: '<p>Hi, a person here.</p>' },
    });
    expect(reply.status).toBe(201);
    await w.locator('.msg.agent').filter({ hasText: 'a person here' }).waitFor();
    await waitFor(async () => (await notice.count()) === 0);

    // And after another reload it stays gone: the server knows a person answered since the room was queued.
    await page.reload();
    await w.locator('button.launcher').click();
    await w.locator('.msg.agent').filter({ hasText: 'a person here' }).waitFor();
    const routing = await s.req('GET', `/conversations/${conversationId}/routing`, { auth: s.admin });
    expect(routing.body.state).toBe('queued');
    expect(await notice.count()).toBe(0);
  });
});
