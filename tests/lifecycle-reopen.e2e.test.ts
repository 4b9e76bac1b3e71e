import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from './helpers/browser';
import { type HostPage, startHostPage } from './helpers/host-page';
import { ADMIN, BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// A visitor writes again after their conversation was resolved (and rated); the agent watching the
// room in the workspace sees it reopen live, and the widget's old rating card goes away.
const SHOTS = process.env.LIFECYCLE_SCREENSHOTS ?? join(tmpdir(), 'autocrm-lifecycle-screens');

describe.skipIf(!existsSync(CHROMIUM))(`reopen in the browser (${BACKEND})`, () => {
  let s: TestServer;
  let host: HostPage;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    s = await startTestServer();
    await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [s.admin.userId] } });
    const websiteToken = (await s.req('GET', '/inboxes', { auth: s.admin })).body.data.find(
      (i: { id: string }) => i.id === s.inboxId,
    ).websiteToken;
    host = await startHostPage({ serverUrl: s.url, websiteToken, title: 'Shop' });
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await host?.close();
    await s?.close();
  });

  async function page(viewport = { width: 1280, height: 800 }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    const p = await context.newPage();
    p.on('pageerror', (err) => console.error('page error:', err.message));
    return p;
  }

  it('a visitor writes after resolve; the agent sees the room reopen live; the old rating card is gone', async () => {
    const visitor = await page();
    await visitor.goto(host.url);
    const w = visitor.locator('autocrm-widget');
    await w.locator('button.launcher').click();
    await w.locator('#composer').fill('Where is my parcel?');
    await w.locator('#composer').press('Enter');
    const first = await waitFor(() =>
      s.deps.db
        .selectFrom('messages')
        .select('conversation_id')
        .where('body_text', '=', 'Where is my parcel?')
        .executeTakeFirst(),
    );
    const id = first!.conversation_id;
    const statuses = (await s.req('GET', '/statuses', { auth: s.admin })).body.data as {
      id: string;
      name: string;
      category: string;
    }[];
    const resolved = statuses.find((x) => x.category === 'resolved')!;
    const open = statuses.find((x) => x.category === 'open')!;
    expect((await s.req('PATCH', `/conversations/${id}`, { auth: s.admin, body: { assigneeId: s.admin.userId } })).status).toBe(
      200,
    );
    expect((await s.req('PATCH', `/conversations/${id}`, { auth: s.admin, body: { statusId: resolved.id } })).status).toBe(200);
    await w.locator('.csat').waitFor();
    await w.getByRole('button', { name: '5 of 5' }).click();
    await w.locator('.csat button.primary').click();
    await w.getByText('Thanks for your feedback!').waitFor();

    const agent = await page();
    await agent.goto(`${s.url}/inbox/${id}`);
    await agent.getByLabel('Email').fill(ADMIN.email);
    await agent.getByLabel('Password').fill(ADMIN.password);
    await agent.getByRole('button', { name: 'Sign in' }).click();
    await agent.waitForURL((u) => u.pathname !== '/login');
    if (!agent.url().endsWith(`/inbox/${id}`)) await agent.goto(`${s.url}/inbox/${id}`);
    await agent.locator('[data-status]', { hasText: resolved.name }).waitFor();
    await agent.locator('[data-csat="5"]').waitFor();
    await agent.evaluate(() => ((globalThis as any).__noReload = true));

    await w.locator('#composer').fill('It still has not arrived');
    await w.locator('#composer').press('Enter');

    // Live, without a reload: status, the customer's message, the reason, the previous assignee's toast.
    await agent.locator('[data-status]', { hasText: open.name }).waitFor();
    await agent.locator('ol.history').getByText('It still has not arrived').waitFor();
    await agent.getByText('Reopened: the customer wrote again.').waitFor();
    await agent.getByText('reopened: the customer wrote again', { exact: false }).first().waitFor();
    await agent.locator('[data-csat]').waitFor({ state: 'detached' });
    expect(await agent.evaluate(() => (globalThis as any).__noReload)).toBe(true);
    await agent.screenshot({ path: join(SHOTS, 'room-reopened.png') });
    // The widget no longer shows the rating of the round that ended.
    await waitFor(async () => (await w.getByText('Thanks for your feedback!').count()) === 0);
    expect(await w.locator('.csat').count()).toBe(0);
    await visitor.screenshot({ path: join(SHOTS, 'widget-reopened.png') });
  }, 120_000);
});
