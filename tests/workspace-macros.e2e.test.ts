import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from './helpers/browser';
import { ADMIN, startTestServer, type TestServer } from './helpers/test-server';

// The macros settings page in a real Chromium, with and without JavaScript (form actions).

const SHOTS = process.env.ROUTING_SCREENSHOTS ?? join(tmpdir(), 'autocrm-routing-screens');

let s: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function signIn(user: { email: string; password: string }, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${s.url}/settings/macros`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname !== '/login');
  await page.goto(`${s.url}/settings/macros`);
  return page;
}

describe.skipIf(!existsSync(CHROMIUM))('macros settings page (browser)', () => {
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

  it('creates, edits and deletes a macro with field changes, without JavaScript', async () => {
    const page = await signIn(ADMIN, false);
    const form = page.locator('[data-macro-form]');
    await form.getByLabel('Name', { exact: true }).fill('Escalate VIP');
    await form.locator('textarea[name="body"]').fill('Thanks for waiting.\n\nA specialist takes over now.');
    const row = (i: number) => form.locator(`[data-action-row="${i}"]`);
    await row(0).locator('select[name="type"]').selectOption('set_priority');
    await row(0).locator('select[name="choice"]').selectOption('priority:high');
    await row(1).locator('select[name="type"]').selectOption('add_tags');
    await row(1).locator('input[name="text"]').fill('VIP, billing');
    await row(2).locator('select[name="type"]').selectOption('assign');
    await row(2).locator('select[name="choice"]').selectOption('user:me');
    await form.locator('select[name="visibility"]').selectOption('shared');
    await form.getByRole('button', { name: 'Create macro' }).click();
    await page.locator('[data-created]').waitFor();
    await page.locator('[data-macro="Escalate VIP"]').waitFor();

    const list = (await s.req('GET', '/macros', { auth: s.admin })).body.data as any[];
    const m = list.find((x) => x.name === 'Escalate VIP');
    expect(m).toMatchObject({
      visibility: 'shared',
      bodyHtml: '<p>Thanks for waiting.</p><p>A specialist takes over now.</p>',
      actions: [
        { type: 'set_priority', priority: 'high' },
        { type: 'add_tags', tags: ['vip', 'billing'] },
        { type: 'assign', assigneeId: 'me' },
      ],
    });
    await page.screenshot({ path: join(SHOTS, 'macros-page.png'), fullPage: true });

    // Edit: the saved rows come back filled in; drop the tags row, rename.
    await page.locator('[data-macro="Escalate VIP"] a').click();
    await page.waitForURL(`**/settings/macros/${m.id}`);
    const edit = page.locator('[data-macro-form]');
    expect(await edit.locator('[data-action-row="1"] input[name="text"]').inputValue()).toBe('vip, billing');
    await edit.locator('[data-action-row="1"] select[name="type"]').selectOption('');
    await edit.getByLabel('Name', { exact: true }).fill('Escalate VIP now');
    await edit.getByRole('button', { name: 'Save macro' }).click();
    await page.locator('[data-saved]').waitFor();
    const saved = (await s.req('GET', `/macros/${m.id}`, { auth: s.admin })).body;
    expect(saved.name).toBe('Escalate VIP now');
    expect(saved.actions.map((a: { type: string }) => a.type)).toEqual(['set_priority', 'assign']);

    await page.getByRole('button', { name: 'Delete macro' }).click();
    await page.locator('[data-deleted]').waitFor();
    expect((await s.req('GET', `/macros/${m.id}`, { auth: s.admin })).status).toBe(404);
  }, 60_000);

  it('applies a macro from the conversation room: its text goes into the reply box and its field changes apply at once', async () => {
    const statuses = (await s.req('GET', '/statuses', { auth: s.admin })).body.data as { id: string; category: string }[];
    const resolved = statuses.find((x) => x.category === 'resolved')?.id;
    const macro = await s.req('POST', '/macros', {
      auth: s.admin,
      body: {
        name: 'Solved with thanks',
        body: '<p>Glad we could help!</p>',
        visibility: 'shared',
        actions: [
          { type: 'set_status', statusId: resolved },
          { type: 'add_tags', tags: ['solved'] },
        ],
      },
    });
    expect(macro.status).toBe(201);
    const conv = await s.req('POST', '/conversations', {
      auth: s.admin,
      body: { inboxId: s.inboxId, subject: 'Macro me', contact: { name: 'Mia' }, message: { body: 'Can you help?' } },
    });
    const page = await signIn(ADMIN);
    await page.goto(`${s.url}/inbox/${conv.body.id}`);
    await page.locator('.reply-editor[data-collab-ready="true"]').waitFor();
    await page.locator('.macro-picker summary').click();
    await page.locator('[data-macro="Solved with thanks"]').click();
    await page.locator('.reply-editor').getByText('Glad we could help!').waitFor();
    const after = (await s.req('GET', `/conversations/${conv.body.id}`, { auth: s.admin })).body;
    expect(after.status.category).toBe('resolved');
    expect(after.tags).toContain('solved');
  }, 60_000);

  it('a macro with variables and a note part: built in the settings page, applied with /shortcut in the room', async () => {
    const page = await signIn(ADMIN);
    const form = page.locator('[data-macro-form]');
    await form.getByLabel('Name', { exact: true }).fill('Escalate politely');
    await form.locator('input[name="shortcut"]').fill('escpol');
    await form
      .locator('textarea[name="body"]')
      .fill(
        'Hi {{contact.first_name | fallback: "there"}}, I asked a colleague about #{{conversation.number}}. {{contact.company}}',
      );
    await form.locator('textarea[name="note"]').fill('Escalated by {{agent.name}}: check the invoices of {{contact.email}}');
    await form.locator('select[name="visibility"]').selectOption('shared');
    await form.getByRole('button', { name: 'Create macro' }).click();
    await page.locator('[data-macro="Escalate politely"] [data-macro-note]').waitFor();
    await page.screenshot({ path: join(SHOTS, 'macros-note-page.png'), fullPage: true });

    const conv = await s.req('POST', '/conversations', {
      auth: s.admin,
      body: {
        inboxId: s.inboxId,
        subject: 'Invoice question',
        contact: { name: 'Nora Field', email: 'nora@example.com' },
        message: { body: 'Where is my invoice?' },
      },
    });
    await page.goto(`${s.url}/inbox/${conv.body.id}`);
    await page.locator('.reply-editor[data-collab-ready="true"]').waitFor();
    const editor = page.locator('.editor');
    await editor.click();
    await page.keyboard.type('/escp');
    await page.locator('.macros button[data-shortcut="escpol"]').waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => editor.textContent()).toContain(`Hi Nora, I asked a colleague about #${conv.body.number}.`);
    // The note went to the timeline as a note, never into the public reply.
    await page.locator('li.msg.note', { hasText: 'Escalated by Admin: check the invoices of nora@example.com' }).waitFor();
    expect(await editor.textContent()).not.toContain('Escalated');
    // The variable with no value is named, so the agent checks the reply before sending.
    await page.locator('[data-macro-missing]', { hasText: '{{contact.company}}' }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'macro-room-note.png') });
    const msgs = (await s.req('GET', `/conversations/${conv.body.id}/messages`, { auth: s.admin })).body.data as {
      private: boolean;
      bodyText: string;
    }[];
    expect(msgs.filter((m) => m.private).map((m) => m.bodyText)).toEqual([
      'Escalated by Admin: check the invoices of nora@example.com',
    ]);
    const listed = (await s.req('GET', '/macros', { auth: s.admin })).body.data.find(
      (m: { name: string }) => m.name === 'Escalate politely',
    );
    expect(listed.useCount).toBe(1);
  }, 90_000);

  it('shows row errors at the row (with JavaScript)', async () => {
    const page = await signIn(ADMIN);
    const form = page.locator('[data-macro-form]');
    await form.getByLabel('Name', { exact: true }).fill('Broken');
    await form.locator('[data-action-row="0"] select[name="type"]').selectOption('set_status');
    await form.getByRole('button', { name: 'Create macro' }).click();
    await page.locator('[data-field-error="actions.0"]').waitFor();
    expect(await page.locator('[data-field-error="actions.0"]').textContent()).toContain('choose a status');
    // What was typed stays.
    expect(await form.getByLabel('Name', { exact: true }).inputValue()).toBe('Broken');
  }, 60_000);
});
