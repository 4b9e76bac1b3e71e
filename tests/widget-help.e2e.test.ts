import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without types
import { buildWidget } from '../widget/build.mjs';
import { markdownBlocks, markSegments } from '../widget/src/render';
import { launchChromium } from './helpers/browser';
import { type HostPage, startHostPage } from './helpers/host-page';
import { agentSocket, connected, type TestSocket } from './helpers/sockets';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Browser globals used inside page.evaluate callbacks (the repo's tsconfig has no DOM lib).
declare const window: any;

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

describe('widget help rendering helpers', () => {
  it('turns a search snippet into text parts: only <mark> is markup, entities are text', () => {
    expect(markSegments('Open &lt;b&gt; the <mark>password</mark> page &amp; <img src=x>')).toEqual([
      { text: 'Open <b> the ', mark: false },
      { text: 'password', mark: true },
      { text: ' page & <img src=x>', mark: false },
    ]);
  });

  it('reads the small Markdown of tutorial steps: paragraphs, bold, lists, safe links only', () => {
    expect(markdownBlocks('Plug it **in**.\nWait.\n\n- one\n- [two](https://x.example/a)\n1. [bad](javascript:alert)')).toEqual([
      { kind: 'p', parts: [{ text: 'Plug it ' }, { text: 'in', bold: true }, { text: '.\nWait.' }] },
      { kind: 'ul', items: [[{ text: 'one' }], [{ text: 'two', href: 'https://x.example/a' }]] },
      { kind: 'ol', items: [[{ text: 'bad' }]] },
    ]);
  });
});

/**
 * The widget's help view and the bot in a real Chromium: a host page on another origin embeds the
 * widget, which searches the public help API, reads articles and tutorials, and talks to the bot (no
 * LLM configured: it answers with matching articles and offers a person).
 */
describe(`widget help center and bot in a browser (${BACKEND}${process.env.REDIS_URL ? ' + redis' : ''})`, () => {
  let s: TestServer;
  let host: HostPage | undefined;
  let hostUrl: string;
  let browser: Browser;
  let agent: TestSocket;
  let websiteToken: string;
  let articleId: string;
  let tutorialId: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await buildWidget({ quiet: true });
    s = await startTestServer({ bot: true });
    const inboxes = await s.req('GET', '/inboxes', { auth: s.admin });
    websiteToken = inboxes.body.data.find((i: { id: string }) => i.id === s.inboxId).websiteToken;
    // An agent online: the widget shows no "we are away" notice, and a hand-off has someone to go to.
    await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [s.admin.userId] } });
    await s.req('PATCH', `/inboxes/${s.inboxId}/widget`, { auth: s.admin, body: { color: '#1d4ed8' } });

    const article = await s.req('POST', '/kb/articles', {
      auth: s.admin,
      body: {
        slug: 'reset-password',
        locale: 'en',
        title: 'Reset your password',
        body: 'To reset your password open the sign-in page and choose **Forgot password**.',
        status: 'published',
        keywords: ['login'],
      },
    });
    expect(article.status).toBe(201);
    articleId = article.body.id;
    const tutorial = await s.req('POST', '/kb/articles', {
      auth: s.admin,
      body: {
        slug: 'pair-reader',
        kind: 'tutorial',
        locale: 'en',
        title: 'Pair the card reader',
        body: 'Step by step',
        status: 'published',
        steps: [
          {
            id: 'start',
            title: 'Is the reader on?',
            body: 'Check the light.',
            choices: [
              { label: 'Yes', next: 'pair' },
              { label: 'No', next: 'charge' },
            ],
          },
          { id: 'charge', title: 'Charge it', body: 'Plug it in for 10 minutes.', next: 'pair' },
          { id: 'pair', title: 'Pair it', body: 'Open Bluetooth settings and choose the reader.' },
        ],
      },
    });
    expect(tutorial.status).toBe(201);
    tutorialId = tutorial.body.id;

    host = await startHostPage({ serverUrl: s.url, websiteToken, title: 'Card reader shop' });
    hostUrl = host.url;
    expect(new URL(hostUrl).origin).not.toBe(new URL(s.url).origin);

    browser = await launchChromium();
    agent = agentSocket(s.url, s.admin);
    await connected(agent);
  });

  afterAll(async () => {
    agent?.disconnect();
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await host?.close();
    await s?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('page error:', err.message));
    return page;
  }

  const widget = (page: Page) => page.locator('autocrm-widget');

  async function openHelp(page: Page) {
    await page.goto(`${hostUrl}/card-reader/setup`);
    const w = widget(page);
    await w.locator('button.launcher').click();
    await w.getByRole('tab', { name: 'Help' }).click();
    expect(await w.getByRole('tab', { name: 'Help' }).getAttribute('aria-selected')).toBe('true');
    await w.locator('#help-q').waitFor();
    return w;
  }

  /** Serious and critical axe violations inside the widget's shadow root. */
  async function axeViolations(page: Page) {
    if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ content: axeSource });
    return page.evaluate(async () => {
      const result = await window.axe.run({ include: [['autocrm-widget']] }, { resultTypes: ['violations'] });
      return result.violations
        .filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical')
        .map((v: { id: string; nodes: { target: unknown }[] }) => ({ id: v.id, targets: v.nodes.map((n) => n.target) }));
    });
  }

  const helpful = async (id: string) => (await s.req('GET', `/kb/articles/${id}`, { auth: s.admin })).body.helpful;

  it('searches the help center, reads an article inside the widget and says it helped', async () => {
    const page = await newPage();
    const w = await openHelp(page);
    // Before typing: suggestions for this page (the card reader tutorial matches its path).
    await w.getByRole('heading', { name: 'Suggested for you' }).waitFor();
    await w.locator('button.hit').filter({ hasText: 'Pair the card reader' }).waitFor();
    await page.screenshot({ path: '/tmp/widget-help.png' });
    expect(await axeViolations(page)).toEqual([]);

    await w.locator('#help-q').fill('password');
    const hit = w.locator('button.hit').filter({ hasText: 'Reset your password' });
    await hit.waitFor();
    // The snippet's matches are <mark> elements; nothing else in it is markup.
    await hit.locator('mark').first().waitFor();
    expect((await hit.locator('mark').allTextContents()).map((t) => t.toLowerCase())).toContain('password');
    expect(await w.getByRole('heading', { name: 'Suggested for you' }).count()).toBe(0);

    await hit.click();
    const article = w.locator('article.kb');
    await article.getByRole('heading', { name: 'Reset your password' }).waitFor();
    expect(await article.locator('strong').first().textContent()).toBe('Forgot password');
    const external = w.getByRole('link', { name: 'Open in the help center' });
    expect(await external.getAttribute('href')).toBe(`${s.url}/help/en/articles/reset-password`);
    expect(await external.getAttribute('rel')).toContain('noopener');
    expect(await external.getAttribute('target')).toBe('_blank');
    await page.screenshot({ path: '/tmp/widget-article.png' });
    expect(await axeViolations(page)).toEqual([]);

    await article.getByRole('button', { name: 'Yes', exact: true }).click();
    await w.getByText('Thanks for your feedback!').waitFor();
    await waitFor(async () => (await helpful(articleId)).yes === 1);
    expect(await helpful(articleId)).toEqual({ yes: 1, no: 0 });

    // Back to the search, which kept the query and its hits.
    await w.getByRole('button', { name: 'Back to help' }).click();
    await w.locator('button.hit').filter({ hasText: 'Reset your password' }).waitFor();
    expect(await w.locator('#help-q').inputValue()).toBe('password');
  });

  it('walks a tutorial one step at a time, branch and back, and goes to the chat when it did not solve it', async () => {
    const page = await newPage();
    const w = await openHelp(page);
    await w.locator('#help-q').fill('card reader');
    const hit = w.locator('button.hit').filter({ hasText: 'Pair the card reader' });
    await hit.waitFor();
    expect(await hit.locator('.tag').textContent()).toBe('Tutorial');
    await hit.click();

    const step = w.locator('section.step');
    await step.getByRole('heading', { name: 'Is the reader on?' }).waitFor();
    expect(await step.textContent()).toContain('Check the light.');
    expect(await step.textContent()).toContain('Step 1');
    // One step at a time, no verdict before the end.
    expect(await w.getByText('Did this solve it?').count()).toBe(0);
    await step.getByRole('button', { name: 'No', exact: true }).click();
    await step.getByRole('heading', { name: 'Charge it' }).waitFor();
    expect(await step.textContent()).toContain('Plug it in for 10 minutes.');
    // Back returns to the branch point; the other way round again.
    await step.getByRole('button', { name: 'Back', exact: true }).click();
    await step.getByRole('heading', { name: 'Is the reader on?' }).waitFor();
    await step.getByRole('button', { name: 'No', exact: true }).click();
    await step.getByRole('button', { name: 'Next', exact: true }).click();
    await step.getByRole('heading', { name: 'Pair it' }).waitFor();
    expect(await step.textContent()).toContain('Step 3');
    await w.getByText('Did this solve it?').waitFor();
    await page.screenshot({ path: '/tmp/widget-tutorial.png' });
    expect(await axeViolations(page)).toEqual([]);

    await w.locator('.fb').getByRole('button', { name: 'No', exact: true }).click();
    await w.getByText('Sorry that did not solve it.').waitFor();
    await waitFor(async () => (await helpful(tutorialId)).no === 1);
    await w.getByRole('button', { name: 'Chat with us' }).click();
    // The chat, ready for a new conversation.
    expect(await w.getByRole('tab', { name: 'Chat' }).getAttribute('aria-selected')).toBe('true');
    await w.locator('#composer').waitFor();
    await waitFor(() => w.locator('#composer').evaluate((el: any) => el === el.getRootNode().activeElement));
  });

  it('reads right to left in Arabic on a phone, with touch-sized controls', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
    });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${hostUrl}/?boot=${encodeURIComponent(JSON.stringify({ locale: 'ar' }))}`);
    const w = widget(page);
    await w.locator('button.launcher').tap();
    await w.getByRole('tab', { name: 'المساعدة' }).tap();
    expect(await w.locator('.root').getAttribute('dir')).toBe('rtl');
    // No Arabic articles: the search falls back to the default language.
    await w.locator('#help-q').fill('password');
    await w.locator('button.hit').filter({ hasText: 'Reset your password' }).locator('mark').first().waitFor();
    await w.locator('button.hit').filter({ hasText: 'Reset your password' }).tap();
    const yes = w.getByRole('button', { name: 'نعم', exact: true });
    await yes.waitFor();
    expect((await yes.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await page.screenshot({ path: '/tmp/widget-help-rtl.png' });
  });

  it('shows the bot answering with the article, streams as text, and hands off to a person on request', async () => {
    const page = await newPage();
    await page.goto(hostUrl);
    const w = widget(page);
    await w.locator('button.launcher').click();
    await w.locator('#composer').fill('how do I reset my password');
    await w.locator('#composer').press('Enter');

    const bot = w.locator('.msg.bot:not(.streaming)');
    await bot.waitFor();
    expect(await bot.locator('.who').textContent()).toMatch(/Assistant\s*Bot/);
    const link = bot.locator('a').filter({ hasText: 'Reset your password' });
    expect(await link.getAttribute('href')).toMatch(/\/help\/en\/articles\/reset-password$/);
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toContain('noopener');
    await w.locator('header .sub').getByText('Assistant (bot) is answering').waitFor();
    const handoff = w.getByRole('button', { name: 'Talk to a person' });
    await handoff.waitFor();
    expect(await handoff.count()).toBe(1);
    // The no-LLM answer: the matching passage quoted, the article link, then the question the button follows.
    expect(await bot.locator('blockquote').count()).toBe(1);
    await bot.getByText('Did this answer your question?').waitFor();
    await page.screenshot({ path: '/tmp/widget-bot-answer.png' });
    const desktop = page.viewportSize();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: '/tmp/widget-bot-answer-phone.png' });
    if (desktop) await page.setViewportSize(desktop);

    // A streamed answer shows as it grows, as text (never HTML), and goes when done.
    const conv = await s.deps.db
      .selectFrom('messages')
      .select('conversation_id')
      .where('body_text', '=', 'how do I reset my password')
      .executeTakeFirstOrThrow();
    const conversationId = conv.conversation_id;
    const stream = (text: string, done: boolean) =>
      s.deps.realtime?.emitBotStream({ conversationId, streamId: 'st-1', text, done });
    stream('Open the <b>sign-in</b> page', false);
    const streaming = w.locator('.msg.bot.streaming .text');
    await streaming.getByText('Open the <b>sign-in</b> page').waitFor();
    stream('Open the <b>sign-in</b> page and choose Forgot password', false);
    await streaming.getByText('and choose Forgot password').waitFor();
    expect(await w.locator('.msg.streaming b').count()).toBe(0);
    await page.screenshot({ path: '/tmp/widget-bot-stream.png' });
    stream('', true);
    await waitFor(async () => (await w.locator('.msg.streaming').count()) === 0);
    await page.screenshot({ path: '/tmp/widget-bot.png' });
    expect(await axeViolations(page)).toEqual([]);

    await handoff.click();
    await w.locator('.msg.system').getByText('connecting you with a person').waitFor();
    await waitFor(async () => (await w.getByRole('button', { name: 'Talk to a person' }).count()) === 0);
    await waitFor(async () => !(await w.locator('header .sub').textContent())?.includes('(bot)'));
    const owner = await s.deps.db
      .selectFrom('conversations')
      .select('owner')
      .where('id', '=', conversationId)
      .executeTakeFirstOrThrow();
    expect(owner.owner).toBe('human');
    await page.screenshot({ path: '/tmp/widget-handoff.png' });

    // After a reload the widget still knows a person has the room (from the messages).
    await page.reload();
    await widget(page).locator('button.launcher').click();
    await widget(page).locator('.msg.system').waitFor();
    expect(await widget(page).getByRole('button', { name: 'Talk to a person' }).count()).toBe(0);
    expect(await widget(page).locator('header .sub').textContent()).not.toContain('(bot)');
  });
});
