import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../server/src/domain/routing/clock';
import type { RoutingEngine } from '../server/src/domain/routing/routing-engine';
import { CHROMIUM, launchChromium } from './helpers/browser';
import { ADMIN, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Routing in the workspace, in a real Chromium: the routing settings page, SLA badges in the queue and
// on the supervisor board, and SLA notifications as toasts. The routing clock is moved by hand.

const SHOTS = process.env.ROUTING_SCREENSHOTS ?? join(tmpdir(), 'autocrm-routing-screens');

interface TestUser {
  id: string;
  email: string;
  password: string;
  name: string;
}

let s: TestServer;
let routing: RoutingEngine;
let browser: Browser;
let agent: TestUser;
const clock = new ManualClock('2026-12-01T10:00:00Z');
const contexts: BrowserContext[] = [];

async function signIn(user: { email: string; password: string }, landing = '/inbox'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${s.url}${landing}`);
  expect(new URL(page.url()).pathname).toBe('/login');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname !== '/login');
  return page;
}

describe.skipIf(!existsSync(CHROMIUM))('routing in the workspace (browser)', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    s = await startTestServer({ clock });
    routing = s.deps.routing as RoutingEngine;
    const email = 'rita.router@test.autocrm.dev';
    const res = await s.req('POST', '/users', {
      auth: s.admin,
      body: { email, name: 'Rita Router', role: 'agent', password: 'pw-rita-123456' },
    });
    if (res.status !== 201) throw new Error(`user: ${res.text}`);
    agent = { id: res.body.id, email, password: 'pw-rita-123456', name: 'Rita Router' };
    expect((await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [agent.id] } })).status).toBe(200);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await s?.close();
  });

  it('admin sets up a team and an SLA policy; badges show the SLA; a breach shows on the board and as a toast', async () => {
    // The admin creates a team with the agent in it, and an SLA policy, on the routing page (form actions).
    const admin = await signIn(ADMIN, '/settings/routing');
    await admin.goto(`${s.url}/settings/routing`);
    await admin.getByRole('link', { name: 'Routing' }).first().waitFor();
    const newTeam = admin.locator('details.new', { has: admin.locator('[data-new-team]') });
    await newTeam.locator('summary').click();
    const teamForm = newTeam.locator('[data-new-team]');
    await teamForm.getByLabel('Name', { exact: true }).fill('Night desk');
    await teamForm.getByLabel('Time zone').fill('Europe/Berlin');
    await teamForm.locator(`input[name="member"][value="${agent.id}"]`).check();
    await teamForm.getByRole('button', { name: 'Create team' }).click();
    await admin.locator('[data-team="Night desk"]').waitFor();
    const teams = (await s.req('GET', '/teams', { auth: s.admin })).body.data as {
      id: string;
      name: string;
      members: { userId: string }[];
    }[];
    const team = teams.find((x) => x.name === 'Night desk')!;
    expect(team.members.map((m) => m.userId)).toEqual([agent.id]);

    const newSla = admin.locator('details.new', { has: admin.locator('[data-new-sla]') });
    await newSla.locator('summary').click();
    const slaForm = newSla.locator('[data-new-sla]');
    await slaForm.getByLabel('Name', { exact: true }).fill('High first reply');
    await slaForm.locator('select[name="priority"]').selectOption('high');
    await slaForm.getByLabel('First reply (min)').fill('30');
    await slaForm.getByLabel('Warn before (min)').fill('10');
    await slaForm.getByRole('button', { name: 'Create policy' }).click();
    await admin.locator('[data-sla-policy="High first reply"]').waitFor();
    const policies = (await s.req('GET', '/sla-policies', { auth: s.admin })).body.data as {
      name: string;
      firstResponseMinutes: number;
    }[];
    expect(policies.find((p) => p.name === 'High first reply')?.firstResponseMinutes).toBe(30);

    // A server field error is shown at the form: a policy needs a target.
    if (!(await newSla.evaluate((d) => (d as unknown as { open: boolean }).open))) await newSla.locator('summary').click();
    await slaForm.getByLabel('Name', { exact: true }).fill('No targets');
    await slaForm.getByRole('button', { name: 'Create policy' }).click();
    await admin.locator('[data-field-error="firstResponseMinutes"]').waitFor();
    await admin.screenshot({ path: join(SHOTS, 'routing-page.png'), fullPage: true });

    // Business hours per weekday on the team; a bad time is refused with the field named.
    const teamItem = admin.locator('[data-team="Night desk"]');
    await teamItem.locator('summary').click();
    await teamItem.locator('input[name="hours_mon"]').fill('9:00-17:00');
    await teamItem.locator('input[name="hours_tue"]').fill('09:00-12:00, 13:00-17:00');
    await teamItem.getByRole('button', { name: 'Save team' }).click();
    await admin.locator(`[data-saved="team:${team.id}"]`).waitFor();
    const saved = (await s.req('GET', `/teams/${team.id}`, { auth: s.admin })).body;
    expect(saved.businessHours).toEqual({
      mon: [{ start: '09:00', end: '17:00' }],
      tue: [
        { start: '09:00', end: '12:00' },
        { start: '13:00', end: '17:00' },
      ],
    });
    await teamItem.locator('input[name="hours_wed"]').fill('25:00-26:00');
    await teamItem.getByRole('button', { name: 'Save team' }).click();
    await admin.locator('[data-field-error^="businessHours"]').first().waitFor();
    await teamItem.screenshot({ path: join(SHOTS, 'routing-team.png') });

    // The agent is online in the queue; a high-priority conversation for the team gets an SLA badge.
    const page = await signIn(agent);
    await page.goto(`${s.url}/inbox?view=all`);
    await page.locator('.head .badge.accent').waitFor();
    const conv = await s.req('POST', '/conversations', {
      auth: s.admin,
      body: {
        inboxId: s.inboxId,
        subject: 'Invoice missing',
        teamId: team.id,
        priority: 'high',
        assigneeId: agent.id,
        contact: { name: 'Cora Customer', email: 'cora@example.com' },
        message: { body: 'Where is my invoice?' },
      },
    });
    expect(conv.status).toBe(201);
    const id = conv.body.id as string;
    await waitFor(async () => (await s.req('GET', `/conversations/${id}/routing`, { auth: s.admin })).body.sla.state === 'ok');
    const row = page.locator('li.row', { hasText: 'Invoice missing' });
    await row.waitFor();
    // The row came live; its badge follows on the next SLA refresh (or a reload).
    await page.reload();
    const badge = page.locator('li.row', { hasText: 'Invoice missing' }).locator('[data-sla]');
    await expect.poll(() => badge.getAttribute('data-sla')).toBe('ok');
    expect(await badge.getAttribute('title')).toMatch(/First reply due/);
    await page.screenshot({ path: join(SHOTS, 'queue-badges.png') });

    // The clock passes the target: the assignee gets toasts, the supervisor board shows "breached".
    const board = await signIn(ADMIN, '/supervisor');
    await board.locator(`[data-room="${id}"]`).waitFor();
    clock.advanceMinutes(21);
    await routing.settle();
    await page.locator('[data-toast="sla.warning"]').waitFor();
    clock.advanceMinutes(10);
    await routing.settle();
    await routing.settle();
    const toast = page.locator('[data-toast="sla.breached"]');
    await toast.waitFor();
    expect(await toast.getByRole('link').getAttribute('href')).toBe(`/inbox/${id}`);
    expect(await page.locator('.toasts').getAttribute('role')).toBe('status');
    await page.screenshot({ path: join(SHOTS, 'toast.png') });

    const boardBadge = board.locator(`[data-room="${id}"] [data-sla]`);
    await expect.poll(() => boardBadge.getAttribute('data-sla'), { timeout: 40_000 }).toBe('breached');
    expect(await boardBadge.textContent()).toContain('breached');
    await board.screenshot({ path: join(SHOTS, 'supervisor-breached.png') });

    // In the queue too, refreshed live (no reload).
    await expect
      .poll(() => page.locator('li.row', { hasText: 'Invoice missing' }).locator('[data-sla]').getAttribute('data-sla'))
      .toBe('breached');

    // Toasts go away by themselves.
    await expect.poll(() => page.locator('[data-toast]').count(), { timeout: 15_000 }).toBe(0);
  }, 120_000);

  it('shows the routing page read-only to agents', async () => {
    const page = await signIn(agent, '/settings/routing');
    await page.goto(`${s.url}/settings/routing`);
    await page.locator('[data-read-only]').waitFor();
    expect(await page.locator('fieldset.plain button[type="submit"]').first().isDisabled()).toBe(true);
    await page.locator('[data-team="Night desk"]').waitFor();
  });
});
