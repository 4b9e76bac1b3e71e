import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from './helpers/browser';
import { ADMIN, startTestServer, type TestServer } from './helpers/test-server';

// The reports pages in a real Chromium: figures, chart and table views, CSV downloads parsed back,
// an agent's own stats, the live board updating over the socket, and phone width.

const SHOTS = process.env.REPORTS_SCREENSHOTS ?? join(tmpdir(), 'autocrm-reports-screens');
const AGENT = { email: 'rita@reports.test', password: 'reports-password-1', name: 'Rita Agent' };

let s: TestServer;
let browser: Browser;
let agentId: string;
const contexts: BrowserContext[] = [];

async function signIn(user: { email: string; password: string }, path: string, width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, acceptDownloads: true });
  contexts.push(context);
  // The first page of a run loads the workspace bundle into the server: slow on a busy machine.
  context.setDefaultTimeout(90_000);
  const page = await context.newPage();
  await page.goto(`${s.url}${path}`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname !== '/login');
  await page.goto(`${s.url}${path}`);
  return page;
}

const parseCsv = (text: string): string[][] => parse(text);

const createConversation = async (name: string, extra: Record<string, unknown> = {}) => {
  const res = await s.req('POST', '/conversations', {
    auth: s.admin,
    body: {
      inboxId: s.inboxId,
      subject: name,
      contact: { name, email: `${name}@customer.example` },
      message: { body: 'Hi' },
      ...extra,
    },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
};

// A loaded machine (eight suites at once) makes a page load take seconds: generous per-test time.
describe.skipIf(!existsSync(CHROMIUM))('reports pages (browser)', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    s = await startTestServer();
    browser = await launchChromium();
    const agent = await s.req('POST', '/users', { auth: s.admin, body: { ...AGENT, role: 'agent' } });
    agentId = agent.body.id;
    await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [agentId] } });
    const statuses = (await s.req('GET', '/statuses', { auth: s.admin })).body.data as { id: string; category: string }[];
    const resolved = statuses.find((x) => x.category === 'resolved')?.id;
    const a = await createConversation('alpha', { assigneeId: agentId });
    // Assigned to the admin so routing does not hand it to the agent while the pages are open.
    await createConversation('beta', { assigneeId: s.admin.userId });
    await createConversation('gamma', { assigneeId: agentId });
    expect((await s.req('PATCH', `/conversations/${a}`, { auth: s.admin, body: { statusId: resolved } })).status).toBe(200);
    await s.deps.db.updateTable('conversations').set({ csat_rating: 4, csat_at: new Date() }).where('id', '=', a).execute();
    await s.settle();
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await s?.close();
  });

  it('shows the overview with a chart, a table view and a CSV that parses back to the same figures', async () => {
    const page = await signIn(ADMIN, '/inbox');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
    await page.waitForURL((u) => u.pathname === '/reports');
    const created = page.locator('[data-metric="Created"] .value');
    await expect.poll(() => created.textContent()).toBe('3');
    expect(await page.locator('[data-metric="Resolved"] .value').textContent()).toBe('1');
    expect(await page.locator('[data-metric="CSAT"] .value').textContent()).toBe('4 / 5');
    // uPlot drew its canvas; the table view carries the same figures, one row per day (30 by default).
    await page.locator('.chart canvas').first().waitFor();
    await page.getByText('Table', { exact: true }).click();
    const rows = page.locator('table.daily tbody tr');
    expect(await rows.count()).toBe(30);
    expect(await rows.last().locator('td').nth(1).textContent()).toBe('3');
    await page.screenshot({ path: join(SHOTS, 'reports-1280.png'), fullPage: true });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Overview CSV' }).click(),
    ]);
    const csv = parseCsv(readFileSync((await download.path()) as string, 'utf8'));
    expect(csv[0]).toEqual(['metric', 'current', 'previous']);
    expect(csv).toContainEqual(['created', '3', '0']);
    expect(csv).toContainEqual(['csat_average', '4', '']);
  });

  it('filters by a URL that can be shared', async () => {
    const page = await signIn(ADMIN, '/reports');
    await page.getByLabel('Agent').selectOption(agentId);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL((u) => u.searchParams.get('agent') === agentId);
    await expect.poll(() => page.locator('[data-metric="Created"] .value').textContent()).toBe('2');
  });

  it("shows an agent their own stats only, and their figures' CSV", async () => {
    const page = await signIn(AGENT, '/reports/agents');
    await page.getByRole('heading', { name: /My figures/ }).waitFor();
    const rows = page.locator('table.agents tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().locator('td').nth(0).textContent()).toBe(AGENT.name);
    expect(await rows.first().locator('td').nth(1).textContent()).toBe('2');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV' }).click()]);
    const csv = parseCsv(readFileSync((await download.path()) as string, 'utf8'));
    expect(csv).toHaveLength(2);
    expect(csv[1]?.slice(0, 5)).toEqual([agentId, AGENT.name, '2', '1', '0']);
    await page.goto(`${s.url}/reports`);
    await expect.poll(() => page.locator('[data-metric="Created"] .value').textContent()).toBe('2');
    expect(await page.getByRole('heading', { name: 'My stats' }).count()).toBe(1);
  });

  it('updates the live board when a conversation arrives, and reads at phone width', async () => {
    const page = await signIn(ADMIN, '/reports/live', 390);
    const open = page.locator('[data-metric="open"] strong');
    await expect.poll(() => open.textContent()).toBe('2');
    // Wait until the page has joined the supervisor feed (its first refresh after `supervise`).
    await expect.poll(() => page.locator('[data-updates]').getAttribute('data-updates'), { timeout: 15_000 }).not.toBe('0');
    await createConversation('delta');
    await expect.poll(() => open.textContent(), { timeout: 15_000 }).toBe('3');
    await page.screenshot({ path: join(SHOTS, 'reports-live-390.png'), fullPage: true });

    for (const path of ['/reports', '/reports/agents', '/reports/macros']) {
      await page.goto(`${s.url}${path}`);
      await page.locator('main.reports').waitFor();
      // Nothing in the reports area is wider than the phone: wide tables scroll inside their own box.
      const overflow = await page.locator('main.reports').evaluate((main) => main.scrollWidth - main.clientWidth);
      expect(overflow, path).toBeLessThanOrEqual(1);
      await page.screenshot({ path: join(SHOTS, `reports${path.replace(/\//g, '-')}-390.png`), fullPage: true });
    }
    const wide = await signIn(ADMIN, '/reports/live');
    await wide.screenshot({ path: join(SHOTS, 'reports-live-1280.png'), fullPage: true });
    await wide.goto(`${s.url}/reports/agents`);
    await wide.screenshot({ path: join(SHOTS, 'reports-agents-1280.png'), fullPage: true });
  });
});
