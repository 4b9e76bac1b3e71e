import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { movePresenceRollups } from '../server/src/domain/reports/presence-rollups';
import { rebuildReportRollups } from '../server/src/domain/reports/rollups';
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
    await s.deps.db
      .updateTable('conversations')
      .set({ csat_rating: 4, csat_at: new Date(), csat_comment: 'Quick and kind' })
      .where('id', '=', a)
      .execute();
    // A question the bot had no article for (asked in alpha), for the Bot & KB page.
    const gap = await s.deps.db
      .insertInto('kb_gaps')
      .values({ question: 'Do you ship to Iceland?', normalized: 'do you ship to iceland', last_asked_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await s.deps.db
      .insertInto('kb_gap_examples')
      .values({ gap_id: gap.id, conversation_id: a, question: 'Do you ship to Iceland?' })
      .execute();
    // Rita was away for an hour earlier today (presence history, as routing records it: the closed
    // interval and its hourly and daily rollups, which the agents report reads).
    const away = {
      user_id: agentId,
      status: 'away' as const,
      started_at: new Date(Date.now() - 3 * 3_600_000),
      ended_at: new Date(Date.now() - 2 * 3_600_000),
    };
    await s.deps.db.transaction().execute(async (trx) => {
      await trx.insertInto('agent_presence_log').values(away).execute();
      await movePresenceRollups(trx, [away], 1);
    });
    // A published article, for the views on the Bot & KB page.
    const article = await s.req('POST', '/kb/articles', {
      auth: s.admin,
      body: { slug: 'shipping', locale: 'en', title: 'Shipping', body: 'We ship worldwide.', status: 'published' },
    });
    expect(article.status, article.text).toBe(201);
    await s.settle();
    // The rating was written behind the events' back: rebuild the report rollups from the raw tables.
    await rebuildReportRollups(s.deps.db);
  }, 300_000);
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

    // The raw export: one row per conversation with its own figures.
    const [raw] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Conversations CSV' }).click(),
    ]);
    const [header, ...conversations] = parseCsv(readFileSync((await raw.path()) as string, 'utf8'));
    const col = (name: string) => (header as string[]).indexOf(name);
    expect(conversations.map((r) => r[col('subject')]).sort()).toEqual(['alpha', 'beta', 'gamma']);
    const alpha = conversations.find((r) => r[col('subject')] === 'alpha') as string[];
    expect(alpha[col('assignee')]).toBe(AGENT.name);
    expect(alpha[col('csat_rating')]).toBe('4');
    expect(alpha[col('resolved_at')]).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(Number(alpha[col('resolution_seconds')])).toBeGreaterThanOrEqual(0);
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
    const rows = page.getByRole('table', { name: 'Agent stats', exact: true }).locator('tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().locator('td').nth(0).textContent()).toBe(AGENT.name);
    expect(await rows.first().locator('td').nth(1).textContent()).toBe('2');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV' }).click()]);
    const csv = parseCsv(readFileSync((await download.path()) as string, 'utf8'));
    expect(csv).toHaveLength(2);
    expect(csv[1]?.slice(0, 5)).toEqual([agentId, AGENT.name, '2', '1', '0']);
    // Time in each presence status: the hour away, in the table and the CSV.
    expect(await rows.first().locator('td[data-presence="away"]').textContent()).toBe('60 min');
    expect(csv[1]?.[(csv[0] as string[]).indexOf('away_seconds')]).toBe('3600');
    await page.goto(`${s.url}/reports`);
    await expect.poll(() => page.locator('[data-metric="Created"] .value').textContent()).toBe('2');
    expect(await page.getByRole('heading', { name: 'My conversations' }).count()).toBe(1);
    // "My stats": their own figures against the period before.
    await page.getByRole('navigation', { name: 'Reports' }).getByRole('link', { name: 'My stats' }).click();
    await page.getByRole('heading', { name: /My stats/ }).waitFor();
    await expect.poll(() => page.locator('[data-metric="Conversations assigned"] td').first().textContent()).toBe('2');
    expect(await page.locator('[data-metric="Resolved"] td').first().textContent()).toBe('1');
    expect(await page.locator('[data-metric="CSAT"] td').first().textContent()).toBe('4 / 5 (1)');
    await page.screenshot({ path: join(SHOTS, 'reports-me-1280.png'), fullPage: true });
  });

  it('shows a supervisor or admin their own stats too', async () => {
    const page = await signIn(ADMIN, '/reports/me');
    await page.getByRole('heading', { name: /My stats/ }).waitFor();
    // One conversation (beta) is assigned to the admin.
    await expect.poll(() => page.locator('[data-metric="Conversations assigned"] td').first().textContent()).toBe('1');
  });

  it('shows service levels and the bot and knowledge base as tables, with CSVs that parse back', async () => {
    const page = await signIn(ADMIN, '/reports');
    await page.getByRole('navigation', { name: 'Reports' }).getByRole('link', { name: 'Service levels' }).click();
    await page.getByRole('heading', { name: /Service levels/ }).waitFor();
    const sla = page.getByRole('table', { name: 'SLA attainment', exact: true });
    expect(await sla.locator('tbody tr').count()).toBe(3);
    const comments = page.getByRole('table', { name: 'CSAT comments', exact: true });
    expect(await comments.locator('tbody tr td').nth(1).textContent()).toBe('4 / 5');
    expect(await comments.locator('tbody tr td').nth(2).textContent()).toBe('Quick and kind');
    await page.screenshot({ path: join(SHOTS, 'reports-service-1280.png'), fullPage: true });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'CSV', exact: true }).click(),
    ]);
    const csv = parseCsv(readFileSync((await download.path()) as string, 'utf8'));
    expect(csv[0]).toEqual(['section', 'name', 'value']);
    expect(csv).toContainEqual(['csat_comment_4', expect.stringMatching(/^#\d+ \d{4}-/), 'Quick and kind']);
    expect(csv).toContainEqual(['sla_first_response', 'measured', '0']);

    // A reader opens the article in the help center twice (a refresh counts once).
    const reader = await browser.newContext();
    contexts.push(reader);
    const help = await reader.newPage();
    for (let i = 0; i < 2; i++) {
      await help.goto(`${s.url}/help/en/articles/shipping`);
      await help.getByRole('heading', { name: 'Shipping', level: 1 }).waitFor();
    }

    await page.getByRole('navigation', { name: 'Reports' }).getByRole('link', { name: 'Bot & KB' }).click();
    await page.getByRole('heading', { name: /Bot and knowledge base/ }).waitFor();
    const views = page.getByRole('table', { name: 'Article views', exact: true });
    expect(await views.locator('tbody tr td').allTextContents()).toEqual(['Shipping', '1']);
    expect(await page.locator('[data-views-total]').textContent()).toBe('1');
    const questions = page.getByRole('table', { name: 'Questions without an article', exact: true });
    expect(await questions.locator('tbody tr td').first().textContent()).toBe('Do you ship to Iceland?');
    await page.screenshot({ path: join(SHOTS, 'reports-knowledge-1280.png'), fullPage: true });
    const [kb] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV', exact: true }).click()]);
    expect(parseCsv(readFileSync((await kb.path()) as string, 'utf8'))).toContainEqual([
      'unanswered_question',
      'Do you ship to Iceland?',
      '1',
      expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    ]);
    const kbCsv = parseCsv(readFileSync((await kb.path()) as string, 'utf8'));
    expect(kbCsv).toContainEqual(['article_views', 'total', '1', '']);
    expect(kbCsv).toContainEqual(['article_views', 'Shipping', '1', expect.any(String)]);
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

    for (const path of [
      '/reports',
      '/reports/me',
      '/reports/agents',
      '/reports/macros',
      '/reports/service',
      '/reports/knowledge',
    ]) {
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
    await wide.goto(`${s.url}/reports/macros`);
    await wide.screenshot({ path: join(SHOTS, 'reports-macros-1280.png'), fullPage: true });
  });
});
