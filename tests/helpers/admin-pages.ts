import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
// @ts-expect-error: a plain .mjs build script without types
import { buildWidget } from '../../widget/build.mjs';
import { launchChromium } from './browser';
import { startTestServer, type TestServer } from './test-server';

// What the admin-page browser files share (workspace-admin-inbox-contacts, workspace-admin-tags-webhooks):
// a server, one Chromium, signing in at a width, loopback receivers and screenshots. `s` and `browser`
// are live bindings: `useAdminPages()` inside a describe starts them before its tests and closes all after.

const SHOTS = process.env.SETTINGS_SCREENSHOTS ?? join(tmpdir(), 'autocrm-settings-screens');

export let s: TestServer;
export let browser: Browser;
/** Every browser context a test opens, closed after the file's tests. */
export const contexts: BrowserContext[] = [];
const servers: Server[] = [];

/** `widget`: build the widget first (a test puts it on a host page). */
export function useAdminPages(opts: { widget: boolean }) {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    if (opts.widget) await buildWidget({ quiet: true });
    s = await startTestServer();
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    for (const srv of servers) {
      srv.closeAllConnections();
      srv.close();
    }
    await s?.close();
  });
}

export async function signIn(user: { email: string; password: string }, path: string, width = 1280): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width, height: width > 500 ? 800 : 844 },
    acceptDownloads: true,
    ...(width < 500 ? { isMobile: true, hasTouch: true } : {}),
  });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err.message));
  await page.goto(`${s.url}${path}`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname !== '/login');
  if (new URL(page.url()).pathname !== path) await page.goto(`${s.url}${path}`);
  return page;
}

/** A loopback HTTP server: `handle` answers each request (body read first). */
export async function loopback(
  handle: (req: { url: string; headers: Record<string, string>; body: string }) => { type?: string; body: string },
) {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const out = handle({ url: req.url ?? '/', headers: req.headers as Record<string, string>, body });
      res.setHeader('content-type', out.type ?? 'text/plain');
      res.end(out.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
