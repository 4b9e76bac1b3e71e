import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from './helpers/browser';
import { call, connected, newVisitor, type TestSocket, visitorSocket } from './helpers/sockets';
import { ADMIN, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// In a real Chromium: a macro's file added in the macro settings, applied in a room's composer, reaches
// the visitor's widget socket with the reply; an agent logs a phone call from "New conversation"; a
// contact merge asks for the "final" confirmation before it does anything.

const SHOTS = process.env.LIFECYCLE_SCREENSHOTS ?? join(tmpdir(), 'autocrm-lifecycle-screens');
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

let s: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const sockets: TestSocket[] = [];

async function signIn(landing: string, width = 1280, height = 900): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${s.url}${landing}`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname !== '/login');
  await page.goto(`${s.url}${landing}`);
  return page;
}

describe.skipIf(!existsSync(CHROMIUM))('macro files, logged calls, contact merge (browser)', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    s = await startTestServer();
    await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [s.admin.userId] } });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    for (const so of sockets) so.disconnect();
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await s?.close();
  });

  it('a macro file uploaded in the settings goes with the reply when the macro is applied, and the visitor gets it', async () => {
    const file = join(SHOTS, 'price-list.png');
    writeFileSync(file, PNG);
    const page = await signIn('/settings/macros');
    const form = page.locator('[data-macro-form]');
    await form.getByLabel('Name', { exact: true }).fill('Send the price list');
    await form.locator('textarea[name="body"]').fill('Here is our price list.');
    await form.locator('select[name="visibility"]').selectOption('shared');
    await form.locator('[data-macro-upload]').setInputFiles(file);
    await form.getByRole('button', { name: 'Create macro' }).click();
    await page.locator('[data-created]').waitFor();
    const macro = (await waitFor(async () =>
      (
        (
          await s.req('GET', '/macros', { auth: s.admin })
        ).body.data as { name: string; id: string; attachments: unknown[] }[]
      ).find((m) => m.name === 'Send the price list'),
    ))!;
    expect(macro.attachments).toEqual([expect.objectContaining({ name: 'price-list.png', contentType: 'image/png' })]);

    // On the edit page the file is listed; unticking and saving would remove it (kept here).
    await page.goto(`${s.url}/settings/macros/${macro.id}`);
    await page.locator('[data-keep-file="price-list.png"]').waitFor();
    await page.screenshot({ path: join(SHOTS, 'macro-files-1280.png'), fullPage: true });

    // A visitor in the chat waits for an answer.
    const websiteToken = (await s.req('GET', '/inboxes', { auth: s.admin })).body.data.find(
      (i: { id: string }) => i.id === s.inboxId,
    ).websiteToken;
    const v = await newVisitor(s.url, websiteToken);
    const vs = visitorSocket(s.url, websiteToken, v.visitorToken);
    sockets.push(vs);
    await connected(vs);
    const got: { message: { authorKind: string; bodyText: string; attachments: { name: string; url: string }[] } }[] = [];
    vs.on('message', (e) => got.push(e));
    const started = await call(vs, 'conversation:start', { clientId: 'price-1', body: 'How much is it?' });
    await call(vs, 'room:join', { conversationId: started.conversationId, lastSeq: 0 });

    await page.goto(`${s.url}/inbox/${started.conversationId}`);
    await page.locator('.reply-editor[data-collab-ready="true"]').waitFor();
    await page.locator('.macro-picker summary').click();
    await page.locator('[data-macro="Send the price list"]').click();
    await page.locator('.reply-editor').getByText('Here is our price list.').waitFor();
    await page.locator('[data-attachments] [data-attachment="price-list.png"]').waitFor();
    await page.screenshot({ path: join(SHOTS, 'composer-macro-file-1280.png') });
    await page.locator('[data-send]').click();
    const reply = (await waitFor(() => got.find((e) => e.message.authorKind === 'agent'), { timeoutMs: 20_000 }))!;
    expect(reply.message.bodyText).toContain('Here is our price list.');
    expect(reply.message.attachments.map((a) => a.name)).toEqual(['price-list.png']);
    // The visitor can fetch the file it was sent.
    const res = await fetch(new URL(reply.message.attachments[0]!.url, s.url));
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG);
  }, 120_000);

  it('logs a phone call from "New conversation": the room shows it as a phone call with the summary as a note', async () => {
    const page = await signIn('/inbox/new');
    // The kind switch is JS-only: picked until the page (once hydrated) answers with the "Log call" button.
    await waitFor(async () => {
      await page.locator('[data-kind="message"]').check();
      await page.locator('[data-kind="phone"]').check();
      return (await page.locator('[data-start]').textContent())?.includes('Log call');
    });
    await page.locator('[data-name]').fill('Paula Phone');
    await page.locator('[data-phone]').fill('+441234567890');
    await page.locator('[data-subject]').fill('Billing question by phone');
    await page.locator('[data-body]').fill('Asked why invoice 7 doubled. Told her we refund by Friday.');
    await page.screenshot({ path: join(SHOTS, 'new-conversation-log-call-1280.png'), fullPage: true });
    await page.locator('[data-start]').click();
    await page.waitForURL(/\/inbox\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop()!;
    const conv = (await s.req('GET', `/conversations/${id}`, { auth: s.admin })).body;
    expect(conv).toMatchObject({ channel: 'phone', assigneeId: s.admin.userId, subject: 'Billing question by phone' });
    await page.locator('li.msg.note', { hasText: 'Told her we refund by Friday.' }).waitFor();

    const phone = await signIn('/inbox/new?kind=walk_in', 390, 844);
    await phone.locator('[data-start]', { hasText: 'Log visit' }).waitFor();
    await phone.screenshot({ path: join(SHOTS, 'new-conversation-log-call-390.png'), fullPage: true });
  }, 120_000);

  it('a contact merge says it cannot be undone and needs the confirmation ticked', async () => {
    const keep = (await s.req('POST', '/contacts', { auth: s.admin, body: { name: 'Dana Keep', email: 'dana@example.com' } }))
      .body;
    const dup = (await s.req('POST', '/contacts', { auth: s.admin, body: { name: 'Dana K.', email: 'dana.k@example.org' } }))
      .body;
    const page = await signIn(`/contacts/${keep.id}?dup=dana.k`);
    await page.locator('[data-duplicate="dana.k@example.org"]').check();
    const warning = page.locator('[data-merge-warning]');
    await warning.waitFor();
    expect(await warning.textContent()).toContain('This cannot be undone.');
    expect(await page.locator('[data-merge-submit]').isDisabled()).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'contact-merge-1280.png'), fullPage: true });
    await page.locator('[data-merge-confirm]').check();
    await page.locator('[data-merge-submit]').click();
    await page.locator('[data-merged]').waitFor();
    expect((await s.req('GET', `/contacts/${dup.id}`, { auth: s.admin })).status).toBe(404);
    const after = (await s.req('GET', `/contacts/${keep.id}`, { auth: s.admin })).body;
    expect(after.attributes.otherEmails).toContain('dana.k@example.org');
  }, 120_000);
});
