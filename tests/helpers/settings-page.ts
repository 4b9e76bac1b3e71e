import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser';
import { ADMIN, startTestServer, type TestServer } from './test-server';

/**
 * A server and a browser for a suite of settings-page tests: started before the suite, closed after it.
 * Call it inside the suite's describe; the getters return them once beforeAll has run.
 */
export function settingsSuite(timeoutMs = 180_000): { server: () => TestServer; browser: () => Browser } {
  let s: TestServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    s = await startTestServer();
    browser = await launchChromium();
  }, timeoutMs);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });
  return { server: () => s as TestServer, browser: () => browser as Browser };
}

/**
 * The admin signed in on a desktop-sized page with JavaScript off: the settings forms are plain form
 * actions, and they must work without scripts. Close the context when done.
 */
export async function adminPageWithoutScripts(browser: Browser, s: TestServer): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, javaScriptEnabled: false });
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  await page.goto(`${s.url}/login`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname !== '/login');
  return { context, page };
}
