import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from './helpers/browser';
import { type HostPage, startHostPage } from './helpers/host-page';
import { pick } from './helpers/picker';
import { ADMIN, BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// In the browser: an agent merges a duplicate into the room they watch (another tab on the duplicate
// follows, the visitor's widget shows the moved message), and an agent starts a conversation that the
// visitor then finds in their widget.
const SHOTS = process.env.LIFECYCLE_SCREENSHOTS ?? join(tmpdir(), 'autocrm-merge-screens');

describe.skipIf(!existsSync(CHROMIUM))(`merge and start conversations in the browser (${BACKEND})`, () => {
  let s: TestServer;
  let host: HostPage;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let visitor: Page;
  let contactId: string;
  let primaryId: string;

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

  async function newPage(viewport = { width: 1280, height: 800 }, context?: BrowserContext): Promise<Page> {
    const ctx = context ?? (await browser.newContext({ viewport }));
    if (!context) contexts.push(ctx);
    const p = await ctx.newPage();
    p.on('pageerror', (err) => console.error('page error:', err.message));
    return p;
  }

  async function signIn(p: Page, path: string) {
    await p.goto(`${s.url}${path}`);
    await p.getByLabel('Email').fill(ADMIN.email);
    await p.getByLabel('Password').fill(ADMIN.password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.waitForURL((u) => u.pathname !== '/login');
    if (!p.url().endsWith(path)) await p.goto(`${s.url}${path}`);
  }

  it('merges a duplicate from the room: the moved message appears live, the duplicate’s tab and the widget follow', async () => {
    visitor = await newPage();
    await visitor.goto(host.url);
    const w = visitor.locator('autocrm-widget');
    await w.locator('button.launcher').click();
    await w.locator('#composer').fill('Where is my order 1234?');
    await w.locator('#composer').press('Enter');
    const first = await waitFor(() =>
      s.deps.db
        .selectFrom('messages')
        .select(['conversation_id', 'author_id'])
        .where('body_text', '=', 'Where is my order 1234?')
        .executeTakeFirst(),
    );
    primaryId = first!.conversation_id;
    contactId = first!.author_id!;
    await s.req('PATCH', `/contacts/${contactId}`, { auth: s.admin, body: { name: 'Dana Visitor' } });
    // The same customer opened a second conversation about the same order (here through the API).
    const dup = await s.req('POST', '/conversations', {
      auth: s.admin,
      body: {
        inboxId: s.inboxId,
        contactId,
        subject: 'Order 1234 address',
        message: { body: 'Can you ship it to my office instead?' },
      },
    });
    expect(dup.status).toBe(201);
    // Answered in the primary after the duplicate was written: once merged, the duplicate's message reads
    // before this answer (by time), not after the merge line (its seq).
    const answer = await s.req('POST', `/conversations/${primaryId}/messages`, {
      auth: s.admin,
      body: { body: 'Checking on it now.' },
    });
    expect(answer.status).toBe(201);

    const agent = await newPage();
    await signIn(agent, `/inbox/${primaryId}`);
    const onDuplicate = await newPage(undefined, agent.context());
    await onDuplicate.goto(`${s.url}/inbox/${dup.body.id}`);
    await onDuplicate.locator('ol.history').getByText('Can you ship it to my office instead?').waitFor();

    await agent.locator('[data-link-open]').click();
    const candidate = agent.locator(`[data-candidate="${dup.body.number}"]`);
    await candidate.waitFor();
    await agent.screenshot({ path: join(SHOTS, 'room-merge-finder.png') });
    await candidate.locator('[data-merge]').click();
    await agent.locator('[data-merge-confirm]').waitFor();
    await agent.screenshot({ path: join(SHOTS, 'room-merge-confirm.png') });
    await agent.locator('[data-merge-confirm-go]').click();

    // Live in the primary: the system line and the moved message; the link card names the duplicate.
    await agent
      .getByText(`Conversation #${dup.body.number} (Order 1234 address) was merged into this one`, { exact: false })
      .waitFor();
    await agent.locator('ol.history').getByText('Can you ship it to my office instead?').waitFor();
    await agent.locator('ol.history [data-merged-from]').first().waitFor();
    await agent.locator('[data-link="merged_from"]').waitFor();
    const history = (await agent.locator('ol.history').textContent()) ?? '';
    expect(history.indexOf('Can you ship it to my office instead?')).toBeGreaterThan(history.indexOf('Where is my order 1234?'));
    expect(history.indexOf('Can you ship it to my office instead?')).toBeLessThan(history.indexOf('Checking on it now.'));
    expect(history.indexOf('Checking on it now.')).toBeLessThan(history.indexOf('was merged into this one'));
    await agent.screenshot({ path: join(SHOTS, 'room-merged.png') });
    // The tab on the duplicate moves to the primary by itself.
    await onDuplicate.waitForURL((u) => u.pathname === `/inbox/${primaryId}`);
    // The visitor's widget, in the primary, shows the moved message.
    await w.getByText('Can you ship it to my office instead?').waitFor();
    // Taken by the agent: the widget no longer says the visitor waits in line.
    await w.getByText('is answering').waitFor();
    expect(await w.getByText('in line').count()).toBe(0);
    await visitor.screenshot({ path: join(SHOTS, 'widget-merged.png') });

    const phone = await newPage({ width: 390, height: 844 });
    await signIn(phone, `/inbox/${primaryId}`);
    await phone.locator('[data-links]').scrollIntoViewIfNeeded();
    await phone.screenshot({ path: join(SHOTS, 'room-merged-phone.png'), fullPage: true });
  }, 180_000);

  it('starts a chat conversation from "New conversation"; the visitor finds it in their widget', async () => {
    const agent = await newPage();
    await signIn(agent, '/inbox');
    // A click while the page is still hydrating can be dropped on a loaded machine: click again, as a person would
    // (a broken link fails every try).
    for (let attempt = 1; ; attempt++) {
      await agent.locator('[data-new-conversation]').click();
      try {
        await agent.waitForURL((u) => u.pathname === '/inbox/new', { timeout: 15_000 });
        break;
      } catch (err) {
        if (attempt === 4) throw err;
      }
    }
    await agent.locator('[data-contact-search]').fill('Dana');
    await agent.locator('[data-contact-search]').press('Enter');
    await agent.locator('ul.contacts').getByText('Dana Visitor').waitFor();
    await agent.locator('ul.contacts').getByText('Dana Visitor').click();
    await pick(agent, 'Inbox', { value: s.inboxId });
    await agent.locator('[data-subject]').fill('Your order shipped');
    await agent.locator('[data-body]').fill('Good news: order 1234 left our warehouse today.');
    await agent.screenshot({ path: join(SHOTS, 'new-conversation.png') });
    await agent.locator('[data-start]').click();
    await agent.waitForURL((u) => /^\/inbox\/[0-9a-f-]{36}$/.test(u.pathname));
    await agent.getByText('Good news: order 1234 left our warehouse today.').first().waitFor();
    const id = agent.url().split('/').at(-1)!;
    const conv = await s.req('GET', `/conversations/${id}`, { auth: s.admin });
    expect(conv.body).toMatchObject({ contactId, inboxId: s.inboxId, assigneeId: s.admin.userId });

    // The visitor's next visit: the new conversation is in their widget, with the agent's message.
    await visitor.reload();
    const w = visitor.locator('autocrm-widget');
    await w.locator('button.launcher').click();
    await w.getByText('Good news: order 1234 left our warehouse today.').waitFor();
    await visitor.screenshot({ path: join(SHOTS, 'widget-agent-started.png') });

    const phone = await newPage({ width: 390, height: 844 });
    await signIn(phone, '/inbox/new?q=Dana');
    await phone.locator('ul.contacts').getByText('Dana Visitor').waitFor();
    await phone.screenshot({ path: join(SHOTS, 'new-conversation-phone.png'), fullPage: true });
  }, 180_000);
});
