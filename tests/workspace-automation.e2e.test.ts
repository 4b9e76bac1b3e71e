import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from './helpers/browser';
import { ADMIN, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// The automation builder in a real Chromium: an admin builds a rule from selects and inputs (no JSON),
// sees a validation error next to the action at fault, saves, and the rule fires in a room: the
// conversation changes, the room shows the system line live, and the builder shows when it last fired.

const SHOTS = process.env.AUTOMATION_SCREENSHOTS ?? join(tmpdir(), 'autocrm-automation-screens');

let s: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function signIn(landing: string, width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${s.url}${landing}`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname !== '/login');
  return page;
}

describe.skipIf(!existsSync(CHROMIUM))('automation builder (browser)', () => {
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

  it('an admin builds a rule in the builder, fixes what it reports, and sees it fire in a room', async () => {
    const page = await signIn('/settings/automation');
    await page.goto(`${s.url}/settings/automation`);
    await page.getByRole('link', { name: 'Automation' }).first().waitFor();
    await page.getByText('No automation yet.').waitFor();
    await page.locator('[data-new-rule]').click();
    const builder = page.locator('[data-builder]');
    await builder.getByLabel('Name', { exact: true }).fill('Refunds are urgent');
    await builder.getByLabel('Trigger', { exact: true }).selectOption('customer_message');
    await builder.locator('[data-add-condition]').click();
    const cond = builder.locator('[data-condition="0"]');
    await cond.getByLabel('Field', { exact: true }).selectOption('text');
    await cond.getByLabel('Operator', { exact: true }).selectOption('contains');
    await cond.getByLabel('Value', { exact: true }).fill('refund');
    // First action: "Assign to" with nobody chosen: the save is refused and the error sits under that action.
    const first = builder.locator('[data-action="0"]');
    await first.getByLabel('Action', { exact: true }).selectOption('assign_agent');
    await builder.locator('[data-add-action]').click();
    const second = builder.locator('[data-action="1"]');
    await second.getByLabel('Action', { exact: true }).selectOption('add_tags');
    await second.getByLabel('Tags', { exact: true }).fill('refund, priority-queue');
    await builder.locator('[data-save-rule]').click();
    await builder.locator('[data-row-error="actions.0"]').waitFor();
    await builder.locator('[data-error-at="actions.0.userId"]').waitFor();
    expect(await builder.locator('[data-errors]').textContent()).toContain('Action 1: choose one from the list');
    await page.screenshot({ path: join(SHOTS, 'automation-builder-error-1280.png'), fullPage: true });

    await first.getByLabel('Action', { exact: true }).selectOption('set_priority');
    await first.getByLabel('Priority', { exact: true }).selectOption('urgent');
    await builder.locator('[data-save-rule]').click();
    await page.locator('[data-saved]').waitFor();
    const row = page.locator('[data-rule="Refunds are urgent"]');
    await row.waitFor();
    expect(await row.locator('[data-last-fired]').textContent()).toContain('never');
    const rules = (await s.req('GET', '/automation/rules', { auth: s.admin })).body.data;
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      trigger: { type: 'customer_message' },
      conditions: [{ field: 'text', op: 'contains', value: 'refund' }],
      actions: [
        { type: 'set_priority', priority: 'urgent' },
        { type: 'add_tags', tags: ['refund', 'priority-queue'] },
      ],
    });

    // A conversation; the admin has its room open when the customer asks for a refund.
    const created = await s.req('POST', '/conversations', {
      auth: s.admin,
      body: {
        inboxId: s.inboxId,
        subject: 'Kettle',
        contact: { name: 'Kim Kettle' },
        message: { body: 'Hello', from: 'contact' },
      },
    });
    expect(created.status).toBe(201);
    await s.settle();
    const room = await browser.contexts()[0]!.newPage();
    await room.goto(`${s.url}/inbox/${created.body.id}`);
    await room.locator('[data-kind="contact"]').first().waitFor();
    expect(await room.getByText('Automation "Refunds are urgent"').count()).toBe(0);
    const said = await s.req('POST', `/conversations/${created.body.id}/messages`, {
      auth: s.admin,
      body: { body: 'I would like a refund', from: 'contact' },
    });
    expect(said.status).toBe(201);
    await s.settle();
    const line = room.getByText(
      /Automation "Refunds are urgent" \(customer message\): priority set to urgent; tagged refund, priority-queue/,
    );
    await line.waitFor();
    await room.screenshot({ path: join(SHOTS, 'automation-room-line-1280.png') });
    const conv = (await s.req('GET', `/conversations/${created.body.id}`, { auth: s.admin })).body;
    expect(conv.priority).toBe('urgent');
    expect(conv.tags).toEqual(expect.arrayContaining(['refund', 'priority-queue']));

    await page.reload();
    await page.locator('[data-rule="Refunds are urgent"] [data-last-fired] time').waitFor();
    expect(await page.locator('[data-rule="Refunds are urgent"] [data-last-fired]').textContent()).toMatch(/just now|min ago/);
    await page.screenshot({ path: join(SHOTS, 'automation-list-1280.png'), fullPage: true });
    await page.locator('[data-edit-rule="Refunds are urgent"]').click();
    await page.locator('[data-builder]').waitFor();
    await page.screenshot({ path: join(SHOTS, 'automation-builder-1280.png'), fullPage: true });

    const phone = await signIn('/settings/automation', 390);
    await phone.goto(`${s.url}/settings/automation`);
    await phone.locator('[data-rule="Refunds are urgent"]').waitFor();
    await phone.screenshot({ path: join(SHOTS, 'automation-list-390.png'), fullPage: true });
    await phone.locator('[data-edit-rule="Refunds are urgent"]').click();
    await phone.screenshot({ path: join(SHOTS, 'automation-builder-390.png'), fullPage: true });
  }, 180_000);
  it('an admin builds a "conversation updated" rule that calls a webhook and sets a custom field, and it fires', async () => {
    const received: { headers: Record<string, string>; body: string }[] = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/crm`;
      const hook = await s.req('POST', '/webhooks', {
        auth: s.admin,
        body: { url, events: ['conversation.rated'], description: 'Our CRM' },
      });
      expect(hook.status).toBe(201);
      const field = await s.req('POST', '/custom-fields', {
        auth: s.admin,
        body: { key: 'escalation', label: 'Escalation', type: 'single_select', options: ['none', 'manager'] },
      });
      expect(field.status).toBe(201);

      const page = await signIn('/settings/automation');
      await page.goto(`${s.url}/settings/automation`);
      await page.locator('[data-rule]').first().waitFor();
      await page.locator('[data-new-rule]').click(); // a JS-only control: the page is hydrated
      const builder = page.locator('[data-builder]');
      await builder.getByLabel('Name', { exact: true }).fill('Urgent goes to the CRM');
      await builder.getByLabel('Trigger', { exact: true }).selectOption('conversation_updated');
      await builder.locator('[data-watch="priority"]').check();
      await builder.locator('[data-add-condition]').click();
      const cond = builder.locator('[data-condition="0"]');
      await cond.getByLabel('Field', { exact: true }).selectOption('priority');
      await cond.getByLabel('Operator', { exact: true }).selectOption('is');
      await cond.getByLabel('Value', { exact: true }).selectOption('urgent');
      const first = builder.locator('[data-action="0"]');
      await first.getByLabel('Action', { exact: true }).selectOption('call_webhook');
      await first.getByLabel('Webhook', { exact: true }).selectOption({ label: 'Our CRM' });
      await builder.locator('[data-add-action]').click();
      const second = builder.locator('[data-action="1"]');
      await second.getByLabel('Action', { exact: true }).selectOption('set_custom_field');
      await second.getByLabel('Custom field', { exact: true }).selectOption('escalation');
      await second.getByLabel('Value', { exact: true }).selectOption('manager');
      await page.screenshot({ path: join(SHOTS, 'automation-builder-webhook-1280.png'), fullPage: true });
      await builder.locator('[data-save-rule]').click();
      await page.locator('[data-saved]').waitFor();
      const row = page.locator('[data-rule="Urgent goes to the CRM"]');
      await row.waitFor();
      expect(await row.textContent()).toContain('The priority changes');
      expect(await row.textContent()).toContain('Call a webhook Our CRM');
      const stored = (await s.req('GET', '/automation/rules', { auth: s.admin })).body.data.find(
        (r: { name: string }) => r.name === 'Urgent goes to the CRM',
      );
      expect(stored).toMatchObject({
        trigger: { type: 'conversation_updated', fields: ['priority'] },
        actions: [
          { type: 'call_webhook', webhookId: hook.body.id },
          { type: 'set_custom_field', key: 'escalation', value: 'manager' },
        ],
      });

      const created = await s.req('POST', '/conversations', {
        auth: s.admin,
        body: { inboxId: s.inboxId, subject: 'Server down', contact: {}, message: { body: 'Down!', from: 'contact' } },
      });
      expect(created.status).toBe(201);
      await s.settle();
      const patched = await s.req('PATCH', `/conversations/${created.body.id}`, { auth: s.admin, body: { priority: 'urgent' } });
      expect(patched.status).toBe(200);
      await s.settle();
      const call = (await waitFor(() => received[0], { timeoutMs: 20_000 }))!;
      const payload = new Webhook(hook.body.secret).verify(call.body, {
        'webhook-id': call.headers['webhook-id']!,
        'webhook-timestamp': call.headers['webhook-timestamp']!,
        'webhook-signature': call.headers['webhook-signature']!,
      }) as { type: string; data: { conversation: { id: string; priority: string } } };
      expect(payload).toMatchObject({
        type: 'automation.rule_fired',
        data: { conversation: { id: created.body.id, priority: 'urgent' } },
      });
      const conv = (await s.req('GET', `/conversations/${created.body.id}`, { auth: s.admin })).body;
      expect(conv.customFields).toEqual({ escalation: 'manager' });
    } finally {
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  }, 180_000);
});
