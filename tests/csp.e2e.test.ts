import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CspViolation, launchChromium, watchCsp } from './helpers/browser';
import { ADMIN, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Content-Security-Policy on every page we serve: the workspace and help center (SvelteKit kit.csp,
// nonces), /demo (nonce) and /api/docs. A real Chromium walks the main flows with a violation watcher
// and the suite fails on any violation; a planted inline script shows the watcher sees them.

let s: TestServer;
let browser: Browser;
let context: BrowserContext;
let violations: CspViolation[];
let conversationId: string;

beforeAll(async () => {
  s = await startTestServer();
  const conv = await s.req('POST', '/conversations', {
    auth: s.admin,
    body: {
      inboxId: s.inboxId,
      subject: 'Policy',
      contact: { name: 'Pia', email: 'pia@example.com' },
      message: { body: 'Hi there' },
    },
  });
  expect(conv.status).toBe(201);
  conversationId = conv.body.id;
  const article = await s.req('POST', '/kb/articles', {
    auth: s.admin,
    body: {
      slug: 'reset-password',
      locale: 'en',
      title: 'Reset your password',
      body: 'Open **Settings** and press *Reset*.',
      status: 'published',
    },
  });
  expect(article.status).toBe(201);
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  violations = await watchCsp(context);
});

afterAll(async () => {
  await context?.close().catch(() => {});
  await browser?.close();
  await s?.close();
});

/** Loads a page, checks its policy header, and waits until it is idle. */
async function visit(page: Page, path: string) {
  const res = await page.goto(`${s.url}${path}`);
  expect(res, path).toBeTruthy();
  const headers = await res!.allHeaders();
  expect(headers['content-security-policy'], `${path} has a CSP`).toMatch(/script-src [^;]*'self'/);
  expect(headers['content-security-policy']).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
  expect(headers['x-content-type-options'], `${path} nosniff`).toBe('nosniff');
  await page.waitForLoadState('networkidle');
  return res!;
}

describe('Content-Security-Policy in the browser', () => {
  it('sign in, inbox, a room with the editor and drafts, settings, supervisor: no violation', async () => {
    const page = await context.newPage();
    await visit(page, '/login');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.pathname === '/inbox');
    await page.waitForLoadState('networkidle');
    // Hydrated: the agent socket is up (its live badge), which needs the nonce'd boot script.
    await page.locator('.head .badge.accent').waitFor();

    await visit(page, `/inbox/${conversationId}`);
    await page.locator('.editor').click();
    await page.keyboard.type('A reply written under the policy');
    await page.keyboard.press('Control+Enter');
    await waitFor(async () => {
      const res = await s.req('GET', `/conversations/${conversationId}/messages`, { auth: s.admin });
      return res.body.data.some((m: { bodyText: string }) => m.bodyText.includes('A reply written under the policy'));
    });

    for (const path of [
      '/settings/users',
      '/settings/api-keys',
      '/settings/audit',
      '/settings/email',
      '/settings/kb',
      '/settings/macros',
      '/settings/maintenance',
      '/settings/routing',
      '/supervisor',
    ]) {
      const res = await visit(page, path);
      expect(res.status(), path).toBe(200);
    }
    // Pages' build assets carry nosniff too.
    const asset = await page.evaluate(
      () =>
        (globalThis as any).document.querySelector('script[src], link[rel=modulepreload]')?.getAttribute('src') ??
        (globalThis as any).document.querySelector('link[rel=modulepreload]')?.getAttribute('href'),
    );
    if (asset) expect((await fetch(new URL(asset, s.url))).headers.get('x-content-type-options')).toBe('nosniff');
    await page.close();
    expect(violations).toEqual([]);
  });

  it('help center: home, an article, search: no violation', async () => {
    const page = await context.newPage();
    await visit(page, '/help/en');
    await visit(page, '/help/en/articles/reset-password');
    await page.getByText('Open').first().waitFor();
    await visit(page, '/help/en/search?q=password');
    await page.close();
    expect(violations).toEqual([]);
  });

  it('/demo: the widget boots, opens and sends a message: no violation', async () => {
    const page = await context.newPage();
    await visit(page, '/demo');
    const w = page.locator('autocrm-widget');
    await w.locator('button.launcher').click();
    await w.locator('#composer').fill('Hello under a policy');
    await w.locator('#composer').press('Enter');
    await w.locator('.msg.contact').filter({ hasText: 'Hello under a policy' }).waitFor();
    await page.close();
    expect(violations).toEqual([]);
  });

  it('/api/docs: Swagger UI renders the operations: no violation', async () => {
    const page = await context.newPage();
    await visit(page, '/api/docs');
    await page.locator('.opblock').first().waitFor();
    await page.close();
    expect(violations).toEqual([]);
  });

  it('the watcher does see a violation: an injected inline script is refused and reported', async () => {
    const page = await context.newPage();
    await visit(page, '/help/en');
    await page
      .evaluate(() => {
        const d = (globalThis as any).document;
        const el = d.createElement('script');
        el.textContent = '(globalThis).__ran = true';
        d.body.appendChild(el);
      })
      .catch(() => {});
    await page.waitForFunction(() => true);
    expect(await page.evaluate(() => (globalThis as any).__ran)).toBeUndefined();
    await expect.poll(() => violations.some((v) => v.directive.startsWith('script-src'))).toBe(true);
    violations.length = 0;
    await page.close();
  });
});
