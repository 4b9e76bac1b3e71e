import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { CHROMIUM, launchChromium } from './browser';
import { call, connected, newVisitor, type TestSocket, visitorSocket } from './sockets';
import type { TestServer } from './test-server';

// What the knowledge-base workspace files share (workspace-kb, workspace-kb-bot-streaming): one Chromium
// for the file, signing in, visitors asking the bot, optional screenshots. `browser` is a live binding:
// `useKbBrowser()` at the top of a file launches it (where Chromium is installed) and closes it all after.

/** Set to keep screenshots of the pages (desktop width) for a look. */
const SHOTS = process.env.SCREENSHOT_DIR;

export const contexts: BrowserContext[] = [];
const sockets: TestSocket[] = [];
export let browser: Browser;

export function useKbBrowser() {
  beforeAll(async () => {
    if (existsSync(CHROMIUM)) browser = await launchChromium();
  });

  afterAll(async () => {
    for (const so of sockets) so.disconnect();
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
  });
}

export async function signIn(s: TestServer, user: { email: string; password: string }, viewport = { width: 1280, height: 860 }) {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${s.url}/inbox`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === '/inbox');
  return page;
}

export async function shot(page: Page, name: string) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** The same page at phone width (only when keeping screenshots). */
export async function mobileShot(page: Page, name: string) {
  if (!SHOTS) return;
  const size = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, name);
  if (size) await page.setViewportSize(size);
}

export { websiteTokenOf } from './sockets';

/** A visitor opens the widget and asks something: the conversation starts with the bot answering. */
export async function visitorAsks(s: TestServer, websiteToken: string, question: string): Promise<string> {
  const v = await newVisitor(s.url, websiteToken);
  const socket = visitorSocket(s.url, websiteToken, v.visitorToken);
  sockets.push(socket);
  await connected(socket);
  const started = await call(socket, 'conversation:start', { clientId: `c-${Math.random()}`, body: question });
  expect(started.ok).toBe(true);
  return started.conversationId as string;
}
