import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
// @ts-expect-error: a plain .mjs build script without types
import { buildWidget } from '../../widget/build.mjs';
import { launchChromium } from './browser';
import { type HostPage, startHostPage } from './host-page';
import { agentSocket, call, connected, type TestSocket } from './sockets';
import { startTestServer, type TestServer, waitFor } from './test-server';

// The widget in a real Chromium, embedded by a host page on another origin (its own little HTTP server),
// talking to the real server; the agent is a real Socket.IO client, online and a member of the inbox.
// Shared by the widget browser suites (widget-chat, widget-inbox-settings). `s`, `hostUrl`,
// `websiteToken` and `agent` are live bindings: `useWidgetBrowser()` inside a describe starts it all
// before its tests and sets them.

export let s: TestServer;
export let hostUrl: string;
export let websiteToken: string;
export let agent: TestSocket;
let dataDir = '';
let host: HostPage | undefined;
let browser: Browser;
let resolvedStatusId: string;
const contexts: BrowserContext[] = [];

export function useWidgetBrowser() {
  beforeAll(async () => {
    await buildWidget({ quiet: true });
    dataDir = await mkdtemp(path.join(tmpdir(), 'autocrm-widget-'));
    s = await startTestServer({ env: { DATA_DIR: dataDir } });
    const inboxes = await s.req('GET', '/inboxes', { auth: s.admin });
    websiteToken = inboxes.body.data.find((i: { id: string }) => i.id === s.inboxId).websiteToken;
    const statuses = await s.req('GET', '/statuses', { auth: s.admin });
    resolvedStatusId = statuses.body.data.find((x: { category: string }) => x.category === 'resolved').id;
    // The admin is a member of the inbox, so the agent socket follows its queue.
    await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [s.admin.userId] } });
    const patched = await s.req('PATCH', `/inboxes/${s.inboxId}/widget`, {
      auth: s.admin,
      body: { greeting: 'Hi! Ask us anything.', replyTime: 'within a day', color: '#1d4ed8' },
    });
    expect(patched.status).toBe(200);

    host = await startHostPage({
      serverUrl: s.url,
      websiteToken,
      title: 'Host shop',
      beforeBoot: `  window.seen = [];
  AutoCRM('on', 'ready', function () { window.seen.push('ready'); });
  AutoCRM('on', 'message', function (m) { window.seen.push('message:' + m.authorKind); });
  AutoCRM('on', 'unreadCount', function (n) { window.unread = n; });`,
    });
    hostUrl = host.url;
    expect(new URL(hostUrl).origin).not.toBe(new URL(s.url).origin);

    browser = await launchChromium();
    agent = agentSocket(s.url, s.admin);
    await connected(agent);
  });

  afterAll(async () => {
    agent?.disconnect();
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await host?.close();
    await s?.close();
    await rm(dataDir, { recursive: true, force: true });
  });
}

export async function newPage(opts: { phone?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext(
    opts.phone ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {},
  );
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err.message));
  return page;
}

export const widget = (page: Page) => page.locator('autocrm-widget');

/** The visitor's stored message with this text, once it is there. */
export async function visitorMessage(body: string) {
  return waitFor(async () =>
    s.deps.db
      .selectFrom('messages')
      .select(['conversation_id', 'seq', 'client_id'])
      .where('body_text', '=', body)
      .where('author_kind', '=', 'contact')
      .executeTakeFirst(),
  ).then((m) => m!);
}

export async function agentReply(conversationId: string, body: string) {
  const joined = await call(agent, 'room:join', { conversationId, lastSeq: 0 });
  expect(joined.ok).toBe(true);
  const ack = await call(agent, 'message:send', { conversationId, clientId: crypto.randomUUID(), body });
  expect(ack.ok).toBe(true);
  return ack;
}

export async function resolve(conversationId: string) {
  const res = await s.req('PATCH', `/conversations/${conversationId}`, { auth: s.admin, body: { statusId: resolvedStatusId } });
  expect(res.status).toBe(200);
}

/** The visitor rates a resolved conversation in the widget; the rating and comment are stored. */
export async function rate(page: Page, conversationId: string, stars: number, comment: string) {
  const w = widget(page);
  await w.locator('.csat').waitFor();
  await w.getByRole('button', { name: `${stars} of 5` }).click();
  await w.locator('#csat-comment').fill(comment);
  await w.locator('.csat button.primary').click();
  await w.getByText('Thanks for your feedback!').waitFor();
  const row = await waitFor(() =>
    s.deps.db
      .selectFrom('conversations')
      .select(['csat_rating', 'csat_comment'])
      .where('id', '=', conversationId)
      .where('csat_rating', 'is not', null)
      .executeTakeFirst(),
  );
  expect(row).toEqual({ csat_rating: stars, csat_comment: comment });
}
