import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
// @ts-expect-error: a plain .mjs build script without types
import { buildWidget } from '../widget/build.mjs';
import { launchChromium } from './helpers/browser';
import { type HostPage, startHostPage } from './helpers/host-page';
import { ADMIN, BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

vi.setConfig({ testTimeout: 180_000 });

/**
 * Live typing preview, in real Chromium with the widget on its own origin and the agent's room beside it:
 * off (the default), no draft text leaves the visitor's browser, as the frames it sends show; on, the agent
 * sees the draft greyed while the visitor types, gone when it is sent or emptied, and it is never stored.
 */
const SHOTS = path.resolve('docs/screenshots');
let browser: Browser;
let s: TestServer;
let host: HostPage;
let dataDir: string;
let websiteToken: string;
const contexts: BrowserContext[] = [];

async function newPage(viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err.message));
  return page;
}

/** Everything the page sends to our server: WebSocket frames and HTTP bodies (long-polling included). */
function recordOutgoing(page: Page): string[] {
  const sent: string[] = [];
  page.on('websocket', (ws) =>
    ws.on('framesent', (f) => sent.push(typeof f.payload === 'string' ? f.payload : f.payload.toString('utf8'))),
  );
  page.on('request', (r) => {
    const body = r.postData();
    if (body) sent.push(body);
  });
  return sent;
}

const widget = (page: Page) => page.locator('autocrm-widget');

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  await buildWidget({ quiet: true });
  dataDir = await mkdtemp(path.join(tmpdir(), 'autocrm-preview-'));
  s = await startTestServer({ env: { DATA_DIR: dataDir } });
  const inboxes = await s.req('GET', '/inboxes', { auth: s.admin });
  websiteToken = inboxes.body.data.find((i: { id: string }) => i.id === s.inboxId).websiteToken as string;
  expect((await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [s.admin.userId] } })).status).toBe(
    200,
  );
  host = await startHostPage({ serverUrl: s.url, websiteToken, title: 'Host shop' });
  browser = await launchChromium();
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await host?.close();
  await s?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function visitorStarts(first: string) {
  const visitor = await newPage({ width: 390, height: 844 });
  const sent = recordOutgoing(visitor);
  await visitor.goto(host.url);
  const w = widget(visitor);
  await w.locator('button.launcher').click();
  await w.locator('#composer').fill(first);
  await w.locator('#composer').press('Enter');
  const row = await waitFor(() =>
    s.deps.db.selectFrom('messages').select('conversation_id').where('body_text', '=', first).executeTakeFirst(),
  );
  return { visitor, w, sent, conversationId: row!.conversation_id };
}

async function agentRoom(conversationId: string, viewport = { width: 1280, height: 800 }) {
  const agent = await newPage(viewport);
  await agent.goto(`${s.url}/inbox/${conversationId}`);
  await agent.getByLabel('Email').fill(ADMIN.email);
  await agent.getByLabel('Password').fill(ADMIN.password);
  await agent.getByRole('button', { name: 'Sign in' }).click();
  await agent.waitForURL((u) => u.pathname === `/inbox/${conversationId}`);
  await agent.locator('[data-collab-ready="true"]').waitFor();
  return agent;
}

describe(`live typing preview (${BACKEND})`, () => {
  it('off by default: the agent sees "typing", never the text, and no draft text leaves the widget', async () => {
    const config = (await (await fetch(`${s.url}/widget-api/v1/config?websiteToken=${websiteToken}`)).json()) as {
      typingPreview: boolean;
    };
    expect(config.typingPreview).toBe(false);
    const { w, sent, conversationId } = await visitorStarts('Hello from a private visitor');
    const agent = await agentRoom(conversationId);
    await w.locator('#composer').pressSequentially('my card number is 4242 secret', { delay: 40 });
    // The typing signal got through (so a preview would have too)... The agent's socket joins the room a
    // moment after the page shows, so keystrokes made before that reach nobody: type on until one arrives.
    await expect
      .poll(
        async () => {
          if (await agent.locator('[data-typing]', { hasText: 'typing' }).count()) return true;
          await w.locator('#composer').pressSequentially(' 4242', { delay: 40 });
          return agent
            .locator('[data-typing]', { hasText: 'typing' })
            .waitFor({ timeout: 3000 })
            .then(() => true)
            .catch(() => false);
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    await new Promise((r) => setTimeout(r, 1000));
    // ...but no text: not on the agent's screen, and not in anything the widget sent.
    expect(await agent.locator('[data-typing-preview]').count()).toBe(0);
    expect(sent.some((f) => f.includes('typing'))).toBe(true);
    expect(sent.filter((f) => f.includes('4242') || f.includes('typing:preview'))).toEqual([]);
    await w.locator('#composer').fill('');
  });

  it('on: the agent sees the draft greyed as the visitor types; it goes when sent or emptied, and nothing of it is stored', async () => {
    const on = await s.req('PATCH', `/inboxes/${s.inboxId}/widget`, { auth: s.admin, body: { typingPreview: true } });
    expect(on.status).toBe(200);
    const { visitor, w, sent, conversationId } = await visitorStarts('Hello, preview is on');
    const agent = await agentRoom(conversationId);
    await w.locator('#composer').pressSequentially('Is the blue jacket in stock', { delay: 40 });
    const preview = agent.locator('[data-typing-preview]');
    await preview.filter({ hasText: 'Is the blue jacket in stock' }).waitFor();
    expect(sent.some((f) => f.includes('typing:preview'))).toBe(true);
    await agent.screenshot({ path: path.join(SHOTS, 'typing-preview-agent.png') });
    const phone = await agentRoom(conversationId, { width: 390, height: 844 });
    // The phone's socket joins the room a moment after the page shows: the next keystrokes reach it.
    await expect
      .poll(
        async () => {
          await w.locator('#composer').pressSequentially('?', { delay: 40 });
          return phone
            .locator('[data-typing-preview]', { hasText: 'jacket in stock?' })
            .waitFor({ timeout: 3000 })
            .then(() => true)
            .catch(() => false);
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    await phone.screenshot({ path: path.join(SHOTS, 'typing-preview-phone.png') });
    await visitor.screenshot({ path: path.join(SHOTS, 'typing-preview-widget.png') });

    // Sent: the message arrives and the preview goes.
    await w.locator('#composer').press('Enter');
    await agent.locator('li.msg.contact', { hasText: 'Is the blue jacket in stock?' }).first().waitFor();
    await preview.waitFor({ state: 'detached' });

    // A draft that is emptied instead of sent: shown, then gone, and stored nowhere.
    await w.locator('#composer').pressSequentially('never mind this draft', { delay: 40 });
    await preview.filter({ hasText: 'never mind this draft' }).waitFor();
    await w.locator('#composer').fill('');
    await w.locator('#composer').dispatchEvent('input');
    await preview.waitFor({ state: 'detached' });
    const stored = await s.deps.db
      .selectFrom('messages')
      .select('id')
      .where((eb) => eb.or([eb('body_text', 'like', '%never mind%'), eb('body_html', 'like', '%never mind%')]))
      .execute();
    expect(stored).toEqual([]);
    expect(JSON.stringify(await s.deps.db.selectFrom('outbox').selectAll().execute())).not.toContain('never mind');

    // A client that sends a draft although the inbox has it off gets nowhere.
    await s.req('PATCH', `/inboxes/${s.inboxId}/widget`, { auth: s.admin, body: { typingPreview: false } });
    await new Promise((r) => setTimeout(r, 5500)); // the server re-reads the setting every 5 s
    // The widget still has its config from before (on) and keeps sending: the server drops it.
    await w.locator('#composer').pressSequentially('after switching off', { delay: 40 });
    await agent.locator('[data-typing]', { hasText: 'typing' }).waitFor();
    await new Promise((r) => setTimeout(r, 1000));
    expect(sent.some((f) => f.includes('after switching off'))).toBe(true);
    expect(await preview.count()).toBe(0);
  });
});
