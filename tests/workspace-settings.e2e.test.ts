import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from './helpers/browser';
import { ADMIN, startTestServer, type TestServer } from './helpers/test-server';

// The admin settings pages in a real Chromium: users, API keys, the audit log and maintenance, each
// checked by what the API then does (a created key works, a revoked one stops working).

const SHOTS = process.env.SETTINGS_SCREENSHOTS ?? join(tmpdir(), 'autocrm-settings-screens');

let s: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function signIn(user: { email: string; password: string }, path: string, width = 1280): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width, height: width > 500 ? 800 : 844 },
    acceptDownloads: true,
  });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${s.url}${path}`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname !== '/login');
  if (new URL(page.url()).pathname !== path) await page.goto(`${s.url}${path}`);
  return page;
}

describe.skipIf(!existsSync(CHROMIUM))('settings pages (browser)', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    s = await startTestServer();
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await s?.close();
  });

  it('adds a user, changes their role and deactivates them; they sign in only while active', async () => {
    const page = await signIn(ADMIN, '/settings');
    expect(new URL(page.url()).pathname).toBe('/settings/users');
    await page.getByLabel('Name', { exact: true }).fill('Dana Lee');
    await page.getByLabel('Email', { exact: true }).fill('dana@example.com');
    await page.getByLabel('First password').fill('dana-first-password');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.locator('[data-created]').waitFor();
    const row = page.locator('[data-user="dana@example.com"]');
    await row.waitFor();
    const dana = await s.login('dana@example.com', 'dana-first-password');

    await row.getByLabel('Role of Dana Lee').selectOption('supervisor');
    await page.locator('[data-updated]').waitFor();
    const users = (await s.req('GET', '/users', { auth: s.admin })).body.data as { email: string; role: string }[];
    expect(users.find((u) => u.email === 'dana@example.com')?.role).toBe('supervisor');

    await page.screenshot({ path: join(SHOTS, 'users-desktop.png'), fullPage: true });
    await row.getByRole('button', { name: 'Deactivate' }).click();
    await row.locator('.badge.off').waitFor();
    expect((await s.req('GET', '/auth/session', { auth: dana })).status).toBe(401);
    await expect(s.login('dana@example.com', 'dana-first-password')).rejects.toThrow(/401/);

    // A bad address is refused with the field named and nothing stored.
    await page.getByLabel('Name', { exact: true }).fill('Nope');
    await page.getByLabel('Email', { exact: true }).fill('not-an-email@');
    await page.getByLabel('First password').fill('long-enough-password');
    await page.locator('form[action="?/create"]').evaluate((f: any) => {
      f.noValidate = true;
    });
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.locator('p.error').first().waitFor();
    const after = (await s.req('GET', '/users', { auth: s.admin })).body.data as { name: string }[];
    expect(after.some((u) => u.name === 'Nope')).toBe(false);
  });

  it('creates an API key shown once that works, then revokes it so it stops working', async () => {
    const page = await signIn(ADMIN, '/settings/api-keys');
    await page.getByLabel('Name').fill('Shop backend');
    await page.getByLabel('conversations:read').check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = (await page.locator('[data-key]').textContent())!.trim();
    expect(key).toMatch(/^ak_/);
    expect((await s.req('GET', '/conversations', { auth: key })).status).toBe(200);
    // Read-only: the key's scope holds.
    expect((await s.req('POST', '/users', { auth: key, body: {} })).status).toBe(403);

    await page.reload();
    expect(await page.locator('[data-key]').count()).toBe(0); // never shown again
    const row = page.locator('[data-key-row="Shop backend"]');
    // The key was used above: the list says when, so an unused key is easy to spot and revoke.
    const lastUsed = await row.locator('[data-last-used]').getAttribute('data-last-used');
    expect(Date.parse(lastUsed ?? '')).toBeGreaterThan(Date.now() - 10 * 60_000);
    expect((await row.locator('[data-last-used]').textContent())?.trim()).not.toBe('never');
    page.once('dialog', (d) => d.accept());
    await row.getByRole('button', { name: 'Revoke Shop backend' }).click();
    await row.locator('.badge.off').waitFor();
    expect((await s.req('GET', '/conversations', { auth: key })).status).toBe(401);
  });

  it('shows the audit log with filters and exports it as CSV; runs a maintenance job; agents are kept out', async () => {
    const page = await signIn(ADMIN, '/settings/audit');
    await page.locator('[data-action="user.created"]').first().waitFor();
    await page.getByLabel('Kind').fill('api_key');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/entityType=api_key/);
    const actions = await page.locator('[data-action]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.every((a) => a?.startsWith('api_key.'))).toBe(true);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export]').click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('at,actor,action,entity_type,entity_id,before,after');
    expect(csv).toContain('"api_key.created"');
    expect(csv).not.toContain('"user.created"');

    await page.goto(`${s.url}/settings/maintenance`);
    const job = page.locator('[data-job="prune-sessions"]');
    await job.getByRole('button', { name: 'Run prune-sessions now' }).click();
    await page.locator('[data-ran="prune-sessions"]').waitFor();
    await job.locator('.badge.ok').waitFor();

    const phone = await signIn(ADMIN, '/settings/maintenance', 390);
    await phone.screenshot({ path: join(SHOTS, 'maintenance-phone.png'), fullPage: true });
    const overflow = await phone.evaluate(
      () => (globalThis as any).document.documentElement.scrollWidth - (globalThis as any).innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(1);

    await s.req('POST', '/users', {
      auth: s.admin,
      body: { email: 'agent7@example.com', name: 'Agent Seven', role: 'agent', password: 'agent-seven-password' },
    });
    const agent = await signIn({ email: 'agent7@example.com', password: 'agent-seven-password' }, '/settings/audit');
    expect(await agent.locator('[data-audit]').count()).toBe(0);
    const res = await agent.goto(`${s.url}/settings/api-keys`);
    expect(res?.status()).toBe(403);
    await agent.goto(`${s.url}/settings/users`);
    await agent.locator('[data-user="agent7@example.com"]').waitFor();
    expect(await agent.getByRole('button', { name: 'Add user' }).count()).toBe(0);
  });
});
