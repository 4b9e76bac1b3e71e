import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM } from './helpers/browser';
import { browser, contexts, mobileShot, shot, signIn, useKbBrowser, visitorAsks, websiteTokenOf } from './helpers/kb-workspace';
import { ADMIN, startTestServer, type TestServer, waitFor } from './helpers/test-server';
import type { TestUser } from './helpers/workspace-server';

// The knowledge base in the agent workspace (editor, list, gaps report) and the bot seen from a
// conversation room (who answers, the bot's messages and citations, agent assist), in a real Chromium
// against a bot-enabled server. `npm test` builds web/ first. The tests run in order: later ones read
// the articles the first one writes. The bot's streamed answer is in workspace-kb-bot-streaming.

const messagesOf = async (s: TestServer, id: string): Promise<any[]> =>
  (await s.req('GET', `/conversations/${id}/messages?limit=200`, { auth: s.admin })).body.data;

const ARTICLE_ID = /\/settings\/kb\/[0-9a-f-]{36}(\?|$)/;

useKbBrowser();

describe.skipIf(!existsSync(CHROMIUM))('knowledge base and the bot in the agent workspace', () => {
  let s: TestServer;
  let websiteToken: string;
  let agent: TestUser;
  let articleId: string;

  beforeAll(async () => {
    s = await startTestServer({ bot: true });
    websiteToken = await websiteTokenOf(s);
    const email = 'kim.kbreader@test.autocrm.dev';
    const password = 'pw-kim-kbreader-123456';
    const res = await s.req('POST', '/users', { auth: s.admin, body: { email, name: 'Kim Reader', role: 'agent', password } });
    expect(res.status).toBe(201);
    agent = { id: res.body.id, email, password, name: 'Kim Reader' };
    const routing = await s.req('GET', '/routing/settings', { auth: s.admin });
    if (routing.status === 200)
      await s.req('PUT', '/routing/settings', { auth: s.admin, body: { ...routing.body, defaultCapacity: 0 } });
  });

  afterAll(async () => {
    await s?.close();
  });

  it('an admin writes an article in the editor, translates it, and sees versions and the list', async () => {
    const page = await signIn(s, ADMIN);
    await page.goto(`${s.url}/settings/kb`);
    await page.locator('[data-articles], .empty').first().waitFor();
    await page.locator('[data-new-article]').click();
    await page.waitForURL('**/settings/kb/new');

    // A category first? Not needed: create the article uncategorized, in English, published.
    await page.getByLabel('Slug').fill('reset-password');
    await page.locator('[data-field="title"]').fill('Reset your password');
    await page
      .locator('[data-field="body"]')
      .fill('To reset your password, open the sign-in page and choose **Forgot password**.\n\nWe email you a reset link.');
    await page.locator('[data-field="keywords"]').fill('login, forgot');
    await page.locator('[data-field="status"]').selectOption('published');
    await page.locator('[data-save]').click();
    await page.waitForURL(ARTICLE_ID);
    articleId = new URL(page.url()).pathname.split('/').at(-1)!;
    await page.getByRole('heading', { level: 1, name: 'Reset your password' }).waitFor();
    await page.locator('[data-current-status]', { hasText: 'published' }).waitFor();
    expect(await page.locator('[data-help-link]').getAttribute('href')).toBe('/help/en/articles/reset-password');

    // The German tab: empty until written; saved as a second, published translation.
    await page.locator('[data-tab="de"]').click();
    await page.waitForURL('**?locale=de');
    await page.locator('[data-not-yet]').waitFor();
    await page.locator('[data-field="title"]').fill('Passwort zurücksetzen');
    await page
      .locator('[data-field="body"]')
      .fill('Um Ihr Passwort zurückzusetzen, öffnen Sie die Anmeldeseite und wählen Sie **Passwort vergessen**.');
    await page.locator('[data-field="status"]').selectOption('published');
    await page.locator('[data-save]').click();
    await page.locator('[data-saved]').waitFor();
    await page.locator('[data-current-status]', { hasText: 'published' }).waitFor();
    expect(await page.locator('[data-help-link]').getAttribute('href')).toBe('/help/de/articles/reset-password');
    const saved = await s.req('GET', `/kb/articles/${articleId}`, { auth: s.admin });
    expect(saved.body.translations.map((t: { locale: string; status: string }) => `${t.locale}:${t.status}`).sort()).toEqual([
      'de:published',
      'en:published',
    ]);

    // Editing the English text makes a second version, listed in the history.
    await page.locator('[data-tab="en"]').click();
    await page.waitForURL('**?locale=en');
    expect(await page.locator('[data-field="title"]').inputValue()).toBe('Reset your password');
    await page
      .locator('[data-field="body"]')
      .fill(
        'To reset your password, open the sign-in page and choose **Forgot password**.\n\nWe email you a reset link that is valid for one hour.',
      );
    await page.locator('[data-save]').click();
    await page.locator('[data-saved]').waitFor();
    await expect.poll(() => page.locator('[data-versions] li[data-version]').count()).toBe(2);
    expect(await page.locator('[data-versions] li[data-version]').first().getAttribute('data-version')).toBe('2');
    await shot(page, 'kb-editor');
    await mobileShot(page, 'kb-editor-mobile');

    // Server field errors come back to the form: a taken slug, tutorial steps pointing nowhere.
    await page.goto(`${s.url}/settings/kb/new`);
    await page.getByLabel('Slug').fill('reset-password');
    await page.locator('[data-field="title"]').fill('Duplicate');
    await page.locator('[data-save]').click();
    await page.locator('[data-field-error="slug"]', { hasText: 'is taken' }).waitFor();
    expect(await page.locator('[data-field="title"]').inputValue()).toBe('Duplicate');
    await page.getByLabel('Slug').fill('printer-setup');
    await page.getByLabel('Kind').selectOption('tutorial');
    await page.locator('[data-field="steps"]').fill('[{"id":"start","title":"Plug it in","body":"Cable","next":"nowhere"}]');
    await page.locator('[data-save]').click();
    await page.locator('[data-field-error="steps"]', { hasText: 'unknown step nowhere' }).waitFor();
    await page.locator('[data-field="steps"]').fill('[{"id":"start","title":"Plug it in","body":"Use the USB cable."}]');
    await page.locator('[data-save]').click();
    await page.waitForURL(ARTICLE_ID);
    await page.locator('[data-kind="tutorial"]').waitFor();
    const tutorialUrl = page.url();

    // The list: both locales with their status, the kind, helpful counts.
    await page.goto(`${s.url}/settings/kb`);
    const row = page.locator('tr[data-article="reset-password"]');
    await row.waitFor();
    await row.locator('[data-locale="en"][data-status="published"]').waitFor();
    await row.locator('[data-locale="de"][data-status="published"]').waitFor();
    expect(await row.locator('[data-locales]').textContent()).toMatch(/en ✓ published\s*·\s*de ✓ published/);
    await page.locator('tr[data-article="printer-setup"]', { hasText: 'Tutorial' }).waitFor();
    // Filters are a plain GET form.
    await page.getByLabel('Search').fill('printer');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL('**q=printer**');
    expect(await page.locator('tr[data-article]').count()).toBe(1);

    // Categories: created from the list page, then given to the article.
    await page.goto(`${s.url}/settings/kb`);
    await page.getByLabel('Slug').fill('account');
    await page.getByLabel('English name').fill('Account');
    await page.getByLabel('German name').fill('Konto');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.locator('[data-category="account"]', { hasText: 'Konto' }).waitFor();
    await page.goto(`${s.url}/settings/kb/${articleId}`);
    await page.getByLabel('Category').selectOption({ label: 'Account' });
    await page.locator('[data-save-details]').click();
    await page.getByText('Details saved.').waitFor();
    await page.goto(`${s.url}/settings/kb`);
    await page.locator('tr[data-article="reset-password"]', { hasText: 'Account' }).waitFor();
    await shot(page, 'kb-list');
    await mobileShot(page, 'kb-list-mobile');

    // Deleting asks first; dismissing the question keeps the article.
    await page.goto(tutorialUrl);
    page.once('dialog', (d) => void d.dismiss());
    await page.locator('[data-delete]').click();
    const tutorialId = new URL(tutorialUrl).pathname.split('/').at(-1);
    expect((await s.req('GET', `/kb/articles/${tutorialId}`, { auth: s.admin })).status).toBe(200);
    page.once('dialog', (d) => void d.accept());
    await page.locator('[data-delete]').click();
    await page.waitForURL('**/settings/kb?deleted=1');
    await page.locator('[data-deleted]').waitFor();
    expect(await page.locator('tr[data-article="printer-setup"]').count()).toBe(0);
  });

  it('an agent reads the knowledge base but cannot change it', async () => {
    const page = await signIn(s, agent);
    // The nav offers the page; opened by URL (a click right after sign-in, before the app has hydrated,
    // was lost once under load, as in workspace-routing.e2e).
    expect(await page.getByRole('link', { name: 'Knowledge base' }).getAttribute('href')).toBe('/settings/kb');
    await page.goto(`${s.url}/settings/kb`);
    await page.locator('[data-read-only]').waitFor();
    expect(await page.locator('[data-new-article]').count()).toBe(0);
    await page.locator('tr[data-article="reset-password"] a').click();
    await page.waitForURL(ARTICLE_ID);
    await page.locator('[data-read-only]').waitFor();
    expect(await page.locator('[data-save]').count()).toBe(0);
    expect(await page.locator('[data-delete]').count()).toBe(0);
    expect(await page.locator('[data-field="title"]').getAttribute('readonly')).not.toBeNull();
    const res = await page.goto(`${s.url}/settings/kb/new`);
    expect(res?.status()).toBe(403);
    // And the API refuses an agent's write.
    const session = await s.login(agent.email, agent.password);
    const put = await s.req('PUT', `/kb/articles/${articleId}/translations/en`, {
      auth: session,
      body: { title: 'Hacked', body: 'x', format: 'markdown', status: 'published' },
    });
    expect(put.status).toBe(403);
  });

  it('the gaps report lists unanswered questions and turns one into a draft article', async () => {
    const question = 'Do you sponsor football teams in Lisbon?';
    const other = 'Can I pay with seashells at the Oslo shop?';
    const conversationId = await visitorAsks(s, websiteToken, question);
    await visitorAsks(s, websiteToken, other);
    await waitFor(
      async () => {
        const gaps = (await s.req('GET', '/kb/gaps', { auth: s.admin })).body.data.map((g: { question: string }) => g.question);
        return gaps.includes(question) && gaps.includes(other);
      },
      { timeoutMs: 15_000 },
    );
    const page = await signIn(s, ADMIN);
    // The nav links to the report; open it directly (a click racing hydration under load can be lost).
    expect(await page.getByRole('link', { name: 'Gaps' }).getAttribute('href')).toBe('/settings/kb/gaps');
    await page.goto(`${s.url}/settings/kb/gaps`);
    const row = page.locator('tr[data-gap]', { hasText: question });
    await row.waitFor();
    expect(await row.locator(`a[href="/inbox/${conversationId}"]`).count()).toBe(1);
    expect(await row.locator('td.num').textContent()).toContain('1×');
    await shot(page, 'kb-gaps');

    // Dismissing one hides it from the report.
    const otherRow = page.locator('tr[data-gap]', { hasText: other });
    await otherRow.locator('[data-dismiss]').click();
    await otherRow.waitFor({ state: 'detached' });
    expect(
      (await s.req('GET', '/kb/gaps', { auth: s.admin })).body.data.map((g: { question: string }) => g.question),
    ).not.toContain(other);

    // A draft article from the other: the editor opens with the question as its title.
    await row.locator('[data-create-draft]').click();
    await page.waitForURL(ARTICLE_ID);
    await page.getByRole('heading', { level: 1, name: question }).waitFor();
    expect(await page.locator('[data-field="title"]').inputValue()).toBe(question);
    await page.locator('[data-current-status]', { hasText: 'draft' }).waitFor();
    expect(await page.locator('[data-help-link]').count()).toBe(0);
    // Answered by an article now: no longer an open gap.
    await page.goto(`${s.url}/settings/kb/gaps`);
    await page.locator('h1').waitFor();
    expect(await page.locator('tr[data-gap]', { hasText: question }).count()).toBe(0);
  });

  it('a room the bot answers: badge, bot message with citation, assist, and taking over', async () => {
    const conversationId = await visitorAsks(s, websiteToken, 'how do I reset my password');
    // Without an LLM the bot answers with the matching articles (and keeps the room).
    await waitFor(async () => (await messagesOf(s, conversationId)).some((m) => m.authorKind === 'bot'), { timeoutMs: 15_000 });
    expect((await s.req('GET', `/conversations/${conversationId}`, { auth: s.admin })).body.owner).toBe('bot');

    const page = await signIn(s, ADMIN);
    // The supervisor board says the bot handles it (explicit ownership, not a guess from messages).
    await page.goto(`${s.url}/supervisor`);
    const card = page.locator(`[data-room="${conversationId}"]`);
    await card.waitFor();
    expect(await card.locator('[data-room-assignee]').textContent()).toBe('Bot');
    await page.goto(`${s.url}/inbox/${conversationId}`);
    await page.locator('[data-owner="bot"]', { hasText: 'Bot answering' }).waitFor();
    const botMsg = page.locator('li.msg.bot[data-kind="bot"]');
    await botMsg.waitFor();
    expect(await botMsg.locator('.who').textContent()).toContain('Bot');
    const citation = botMsg.locator('[data-citations] a', { hasText: 'Reset your password' });
    await citation.waitFor();
    expect(await citation.getAttribute('href')).toMatch(/\/help\/en\/articles\/reset-password$/);
    // The bot's bubble looks different from the customer's.
    const bg = (sel: string) =>
      page
        .locator(sel)
        .first()
        .evaluate((el) => (globalThis as any).getComputedStyle(el).backgroundColor as string);
    expect(await bg('li.msg.bot .bubble')).not.toBe(await bg('li.msg.contact .bubble'));

    // Assist: the matching article, linked to the help center, with a highlighted snippet.
    const hit = page.locator('[data-assist] [data-assist-article="reset-password"]');
    await hit.waitFor();
    expect(await hit.getByRole('link').getAttribute('href')).toBe('/help/en/articles/reset-password');
    expect(await hit.locator('.snippet mark').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-insert-reply]').count()).toBe(0);
    await shot(page, 'room-bot-assist');
    await mobileShot(page, 'room-bot-assist-mobile');

    // Taking over: a person answers from now on (me), live in the badge.
    await page.locator('[data-bot-take-over]').click();
    await page.locator('[data-owner="human"]').waitFor();
    await page.locator('[data-assignee]', { hasText: 'Assigned to' }).waitFor();
    const conv = (await s.req('GET', `/conversations/${conversationId}`, { auth: s.admin })).body;
    expect(conv).toMatchObject({ owner: 'human', assigneeId: s.admin.userId });
    const ownership = (await s.req('GET', `/conversations/${conversationId}/ownership`, { auth: s.admin })).body.data;
    expect(ownership.at(-1)).toMatchObject({ toOwner: 'human', reason: 'agent_took_over' });
    await page.reload();
    await page.locator('[data-owner="human"]').waitFor();
    expect(await page.locator('[data-bot-take-over]').count()).toBe(0);
    await shot(page, 'room-taken-over');
  });

  it('works without JavaScript: create an article and take a room from the bot', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, javaScriptEnabled: false });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${s.url}/login`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.pathname === '/inbox');

    await page.goto(`${s.url}/settings/kb/new`);
    await page.getByLabel('Slug').fill('opening-hours');
    await page.locator('[data-field="title"]').fill('Opening hours');
    await page.locator('[data-field="body"]').fill('We answer **Monday to Friday**, 9 to 17.');
    await page.locator('[data-save]').click();
    await page.waitForURL(ARTICLE_ID);
    await page.locator('[data-tab="de"]').click();
    await page.locator('[data-field="title"]').fill('Öffnungszeiten');
    await page.locator('[data-field="status"]').selectOption('published');
    await page.locator('[data-save]').click();
    await page.locator('[data-saved]').waitFor();
    await page.locator('[data-current-status]', { hasText: 'published' }).waitFor();

    const conversationId = await visitorAsks(s, websiteToken, 'I forgot my password, how can I reset it?');
    await waitFor(async () => (await messagesOf(s, conversationId)).some((m) => m.authorKind === 'bot'), { timeoutMs: 15_000 });
    await page.goto(`${s.url}/inbox/${conversationId}`);
    await page.locator('[data-owner="bot"]').waitFor();
    await page.locator('[data-bot-take-over]').click();
    await page.locator('[data-owner="human"]').waitFor();
    expect((await s.req('GET', `/conversations/${conversationId}`, { auth: s.admin })).body.owner).toBe('human');
  });
});
