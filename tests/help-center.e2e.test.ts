import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from './helpers/browser';
import { startTestServer, type TestServer, waitFor } from './helpers/test-server';

// The public help center (web/src/routes/help) in a real Chromium against the real server: server-
// rendered pages without a session, search, per-locale URLs, "was this helpful?" and a branching
// tutorial. `npm test` builds web/ first.

/** Screenshots for a person to look at (not compared): set HELP_SCREENSHOTS=dir to keep them elsewhere. */
const SHOTS = process.env.HELP_SCREENSHOTS ?? join(tmpdir(), 'autocrm-help-screens');

let s: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let articleId: string;
let tutorialId: string;

async function ok(res: Promise<{ status: number; text: string; body: any }>, status = 201) {
  const r = await res;
  if (r.status !== status) throw new Error(`seed: ${r.status} ${r.text}`);
  return r.body;
}

async function newPage(viewport = { width: 1280, height: 800 }, locale = 'en-US'): Promise<Page> {
  const context = await browser.newContext({ viewport, locale });
  contexts.push(context);
  return context.newPage();
}

const helpful = async (id: string) => (await s.req('GET', `/kb/articles/${id}`, { auth: s.admin })).body.helpful;
const noHorizontalScroll = (page: Page) =>
  page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number);

beforeAll(async () => {
  s = await startTestServer();
  const payments = await ok(
    s.req('POST', '/kb/categories', {
      auth: s.admin,
      body: {
        slug: 'payments',
        translations: {
          en: { name: 'Payments', description: 'Card readers, refunds and payouts' },
          de: { name: 'Zahlungen', description: 'Kartenleser, Erstattungen und Auszahlungen' },
        },
      },
    }),
  );
  const article = await ok(
    s.req('POST', '/kb/articles', {
      auth: s.admin,
      body: {
        slug: 'refund-a-payment',
        locale: 'en',
        title: 'Refund a payment',
        body: '## How to refund\n\nOpen the **payment** in the dashboard and press *Refund*. Refunds reach the customer within five business days.\n\n- Full refunds\n- Partial refunds',
        status: 'published',
        categoryId: payments.id,
      },
    }),
  );
  articleId = article.id;
  await ok(
    s.req('PUT', `/kb/articles/${articleId}/translations/de`, {
      auth: s.admin,
      body: {
        title: 'Eine Zahlung erstatten',
        body: 'Öffnen Sie die **Zahlung** im Dashboard und klicken Sie auf *Erstatten*.',
        status: 'published',
      },
    }),
    200,
  );
  const tutorial = await ok(
    s.req('POST', '/kb/articles', {
      auth: s.admin,
      body: {
        slug: 'set-up-the-card-reader',
        locale: 'en',
        kind: 'tutorial',
        title: 'Set up the card reader',
        body: 'Get your card reader working in a minute.',
        status: 'published',
        categoryId: payments.id,
        steps: [
          {
            id: 'start',
            title: 'Is the reader on?',
            body: 'Look at the **status light** on the top of the reader.',
            choices: [
              { label: 'Yes', next: 'pair' },
              { label: 'No', next: 'charge' },
            ],
          },
          {
            id: 'charge',
            title: 'Charge it',
            body: 'Plug it in for *ten minutes*. <img src=x onerror="window.__xss=1"> [Shop](javascript:alert(1))',
            next: 'pair',
          },
          { id: 'pair', title: 'Pair it', body: 'Open **Settings › Readers** in the app and tap *Pair*.' },
        ],
      },
    }),
  );
  tutorialId = tutorial.id;
  await ok(
    s.req('POST', '/kb/articles', {
      auth: s.admin,
      body: {
        slug: 'contact-support',
        locale: 'en',
        title: 'Contact support',
        body: 'Write to us any time.',
        status: 'published',
      },
    }),
  );
  // A draft is never shown.
  await ok(
    s.req('POST', '/kb/articles', {
      auth: s.admin,
      body: { slug: 'secret-draft', locale: 'en', title: 'Secret draft', body: 'Not yet', status: 'draft' },
    }),
  );
  mkdirSync(SHOTS, { recursive: true });
  if (existsSync(CHROMIUM)) browser = await launchChromium();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await s?.close();
});

describe.skipIf(!existsSync(CHROMIUM))('help center in a browser', () => {
  it('home, search with highlights, article page, "was this helpful?", German, 404', async () => {
    const page = await newPage();
    await page.goto(`${s.url}/help`);
    await page.waitForURL((u) => u.pathname === '/help/en');
    expect(await page.title()).toBe('Help center');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    // No agent workspace chrome, no sign-in.
    expect(await page.locator('header.top').count()).toBe(0);
    const card = page.locator('[data-category="payments"]');
    await card.getByRole('heading', { name: 'Payments' }).waitFor();
    await card.getByRole('link', { name: 'Refund a payment' }).waitFor();
    await card.getByRole('link', { name: /Set up the card reader/ }).waitFor();
    await page.getByRole('link', { name: 'Contact support' }).waitFor();
    expect(await page.getByText('Secret draft').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'home-desktop.png'), fullPage: true });

    // Search (a plain GET form) with highlighted snippets.
    await page.getByRole('searchbox', { name: 'Search the help center' }).fill('refunds');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/help/en/search' && u.searchParams.get('q') === 'refunds');
    const hit = page.locator('.hit[data-slug="refund-a-payment"]');
    await hit.waitFor();
    expect(await hit.locator('mark').count()).toBeGreaterThan(0);
    expect((await hit.locator('mark').first().textContent())?.toLowerCase()).toMatch(/refund/);
    await page.screenshot({ path: join(SHOTS, 'search-desktop.png'), fullPage: true });

    // The article, server-rendered with its title, description, language links and breadcrumb.
    await hit.getByRole('link', { name: 'Refund a payment' }).click();
    await page.waitForURL((u) => u.pathname === '/help/en/articles/refund-a-payment');
    await page.getByRole('heading', { level: 1, name: 'Refund a payment' }).waitFor();
    expect(await page.title()).toBe('Refund a payment · Help center');
    expect(await page.locator('meta[name="description"]').getAttribute('content')).toMatch(/^How to refund Open the payment/);
    expect(await page.locator('link[rel="alternate"][hreflang="de"]').getAttribute('href')).toBe(
      `${s.url}/help/de/articles/refund-a-payment`,
    );
    expect(await page.locator('link[rel="alternate"][hreflang="en"]').count()).toBe(1);
    const crumbs = page.getByRole('navigation', { name: 'Breadcrumb' });
    expect((await crumbs.textContent())?.replace(/\s+/g, ' ')).toMatch(/Help center.*Payments.*Refund a payment/);
    await page.locator('.prose strong', { hasText: 'payment' }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'article-desktop.png'), fullPage: true });

    // "Was this helpful?" Yes: thanks, and the vote is stored.
    await page.getByRole('group', { name: 'Was this helpful?' }).getByRole('button', { name: 'Yes' }).click();
    await page.getByRole('status').filter({ hasText: 'Thanks for your feedback!' }).waitFor();
    await waitFor(async () => (await helpful(articleId)).yes === 1);
    expect(await helpful(articleId)).toEqual({ yes: 1, no: 0 });

    // The language switcher leads to the German URL: German text and chrome, <html lang="de">.
    const langs = page.getByRole('navigation', { name: 'Language' });
    await langs.locator('summary').click();
    await page.screenshot({ path: join(SHOTS, 'languages-desktop.png') });
    await langs.getByRole('link', { name: 'Deutsch' }).click();
    await page.waitForURL((u) => u.pathname === '/help/de/articles/refund-a-payment');
    await page.getByRole('heading', { level: 1, name: 'Eine Zahlung erstatten' }).waitFor();
    expect(await page.title()).toBe('Eine Zahlung erstatten · Hilfe-Center');
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    await page.getByText('War das hilfreich?').waitFor();
    const krumen = page.getByRole('navigation', { name: 'Brotkrumennavigation' });
    expect((await krumen.textContent())?.replace(/\s+/g, ' ')).toMatch(/Hilfe-Center.*Zahlungen.*Eine Zahlung erstatten/);
    // An article not translated yet is shown in the default language, saying so.
    await page.goto(`${s.url}/help/de/articles/contact-support`);
    await page.getByRole('heading', { level: 1, name: 'Contact support' }).waitFor();
    await page.getByText('nicht in Ihrer Sprache verfügbar').waitFor();
    expect(await page.locator('link[rel="canonical"]').getAttribute('href')).toBe(`${s.url}/help/en/articles/contact-support`);

    // Unknown article: a real 404, with the help center around it.
    const missing = await page.goto(`${s.url}/help/en/articles/no-such-article`);
    expect(missing?.status()).toBe(404);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    expect((await page.goto(`${s.url}/help/en/articles/Not_A_Slug`))?.status()).toBe(404);
    expect((await page.goto(`${s.url}/help/xx`))?.status()).toBe(404);
  }, 120_000);

  it('a tutorial: one step at a time, a branch, "did this solve it?"', async () => {
    const page = await newPage();
    await page.goto(`${s.url}/help/en/articles/set-up-the-card-reader`);
    expect(await page.title()).toBe('Set up the card reader · Help center');
    const step = page.locator('section.tutorial');
    await step.getByRole('heading', { name: 'Is the reader on?' }).waitFor();
    expect(await step.getAttribute('data-step')).toBe('start');
    expect(await page.getByText('Did this solve it?').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'tutorial-desktop.png'), fullPage: true });

    // The "No" branch: charge, then pair.
    await step.getByRole('link', { name: 'No' }).click();
    await page.locator('section.tutorial[data-step="charge"]').waitFor();
    await step.getByRole('heading', { name: 'Charge it' }).waitFor();
    await step.getByText('Step 2').waitFor();
    // Markdown rendered, raw HTML and script links defused.
    await step.locator('em', { hasText: 'ten minutes' }).waitFor();
    expect(await step.locator('img').count()).toBe(0);
    expect(await step.locator('a[href^="javascript"]').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as any).__xss)).toBeUndefined();
    await step.getByRole('link', { name: /Next/ }).click();
    await page.locator('section.tutorial[data-step="pair"]').waitFor();
    await step.getByRole('heading', { name: 'Pair it' }).waitFor();
    await step.getByText('Step 3').waitFor();
    expect(new URL(page.url()).searchParams.get('trail')).toBe('start,charge');
    await page.getByText('Did this solve it?').waitFor();
    await page.screenshot({ path: join(SHOTS, 'tutorial-end-desktop.png'), fullPage: true });

    // Back goes one step back along the path taken; "Back to start" to the first step.
    await step.getByRole('link', { name: /Back$/ }).click();
    await page.locator('section.tutorial[data-step="charge"]').waitFor();
    await step.getByRole('link', { name: /Next/ }).click();
    await page.locator('section.tutorial[data-step="pair"]').waitFor();

    await page.getByRole('group', { name: 'Did this solve it?' }).getByRole('button', { name: 'Yes' }).click();
    await page.getByRole('status').filter({ hasText: 'Thanks for your feedback!' }).waitFor();
    await waitFor(async () => (await helpful(tutorialId)).yes === 1);
    // Still on the last step.
    await page.locator('section.tutorial[data-step="pair"]').waitFor();

    await step.getByRole('link', { name: /Back to start/ }).click();
    await page.locator('section.tutorial[data-step="start"]').waitFor();
  }, 120_000);

  it('fits a 375 px phone without sideways scrolling', async () => {
    const page = await newPage({ width: 375, height: 740 });
    for (const [name, path] of [
      ['home', '/help/en'],
      ['search', '/help/en/search?q=refund'],
      ['article', '/help/en/articles/refund-a-payment'],
      ['tutorial', '/help/en/articles/set-up-the-card-reader?step=charge&trail=start'],
      ['german', '/help/de'],
      ['404', '/help/en/articles/no-such-article'],
    ] as const) {
      await page.goto(`${s.url}${path}`);
      await page.locator('main').waitFor();
      expect(await noHorizontalScroll(page), name).toBeLessThanOrEqual(375);
      await page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
    }
    // "No" asks what was missing and points to a person.
    await page.goto(`${s.url}/help/en/articles/contact-support`);
    await page.getByRole('button', { name: 'No' }).click();
    await page.getByRole('status').filter({ hasText: 'Thanks for your feedback!' }).waitFor();
    await page.getByRole('link', { name: /Chat with us/ }).waitFor();
    await page.getByLabel('What was missing or unclear? (optional)').fill('An email address');
    await page.screenshot({ path: join(SHOTS, 'feedback-no-phone.png'), fullPage: true });
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Thank you, we will use this to improve the article.').waitFor();
    expect(await noHorizontalScroll(page)).toBeLessThanOrEqual(375);
  }, 120_000);
});

describe('help center on the server (no JavaScript)', () => {
  const html = { accept: 'text/html' };
  const postAction = (path: string, form: Record<string, string>, cookie?: string) =>
    fetch(`${s.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        ...html,
        origin: s.url,
        'content-type': 'application/x-www-form-urlencoded',
        ...(cookie ? { cookie } : {}),
      },
      body: new URLSearchParams(form),
    });

  it('is public: /help redirects by language, pages need no session, the workspace still does', async () => {
    const root = await fetch(`${s.url}/help`, { redirect: 'manual', headers: html });
    expect(root.status).toBe(307);
    expect(root.headers.get('location')).toBe('/help/en');
    const german = await fetch(`${s.url}/help`, {
      redirect: 'manual',
      headers: { ...html, 'accept-language': 'de-DE,de;q=0.9' },
    });
    expect(german.headers.get('location')).toBe('/help/de');
    const home = await fetch(`${s.url}/help/en`, { redirect: 'manual', headers: html });
    expect(home.status).toBe(200);
    const body = await home.text();
    expect(body).toContain('<html lang="en">');
    expect(body).toContain('Refund a payment');
    expect((await fetch(`${s.url}/help/de`, { headers: html }).then((r) => r.text())).includes('<html lang="de">')).toBe(true);
    // The workspace is still behind the sign-in.
    const inbox = await fetch(`${s.url}/inbox`, { redirect: 'manual' });
    expect(inbox.status).toBe(303);
    expect(inbox.headers.get('location')).toBe('/login?next=%2Finbox');
    expect((await fetch(`${s.url}/help/en/articles/nope`, { headers: html })).status).toBe(404);
    // A category page lists its articles; an unknown one is a 404.
    const category = await fetch(`${s.url}/help/de/categories/payments`, { headers: html });
    expect(category.status).toBe(200);
    const categoryPage = await category.text();
    expect(categoryPage).toContain('<title>Zahlungen · Hilfe-Center</title>');
    expect(categoryPage).toContain('Eine Zahlung erstatten');
    expect(categoryPage).toContain('Set up the card reader');
    expect(categoryPage).not.toContain('Contact support</a>');
    expect((await fetch(`${s.url}/help/en/categories/nope`, { headers: html })).status).toBe(404);
    // Search without a query, or with one too long for the API, is a page, not an error.
    expect((await fetch(`${s.url}/help/en/search`, { headers: html })).status).toBe(200);
    expect((await fetch(`${s.url}/help/en/search?q=${'x'.repeat(900)}`, { headers: html })).status).toBe(200);
  });

  it('tutorial steps and feedback work as plain links and form posts, signed in or not', async () => {
    const end = await fetch(`${s.url}/help/en/articles/set-up-the-card-reader?step=pair&trail=start,charge`, {
      headers: html,
    }).then((r) => r.text());
    expect(end).toContain('Pair it');
    expect(end).toContain('Did this solve it?');
    expect(end).toContain('action="?step=pair&amp;trail=start%2Ccharge&amp;/feedback"');

    const before = await helpful(articleId);
    const no = await postAction('/help/en/articles/refund-a-payment?/feedback', { helpful: 'no', locale: 'en' });
    expect(no.status).toBe(200);
    const page = await no.text();
    expect(page).toContain('Thanks for your feedback!');
    expect(page).toContain('name="comment"');
    expect(page).toContain('href="#contact"');
    expect(await helpful(articleId)).toEqual({ yes: before.yes, no: before.no + 1 });
    const feedbackId = /name="feedbackId" value="(\d+)"/.exec(page)?.[1];
    expect(feedbackId).toBeTruthy();
    const comment = await postAction('/help/en/articles/refund-a-payment?/feedback', {
      helpful: 'no',
      locale: 'en',
      comment: 'Which button exactly?',
      feedbackId: feedbackId as string,
    });
    expect(comment.status).toBe(200);
    expect(await comment.text()).toContain('Thank you, we will use this to improve the article.');
    // The comment joined the vote: still one "No".
    expect(await helpful(articleId)).toEqual({ yes: before.yes, no: before.no + 1 });

    // A signed-in agent reading the help center: the vote goes out without their session (no CSRF trouble).
    const signedIn = await postAction(
      '/help/de/articles/refund-a-payment?/feedback',
      { helpful: 'yes', locale: 'de' },
      s.admin.cookie,
    );
    expect(signedIn.status).toBe(200);
    expect(await signedIn.text()).toContain('Danke für Ihr Feedback!');
    expect((await helpful(articleId)).yes).toBe(before.yes + 1);

    const bad = await postAction('/help/en/articles/refund-a-payment?/feedback', { helpful: 'maybe' });
    expect(bad.status).toBe(400);
    const gone = await postAction('/help/en/articles/no-such-article?/feedback', { helpful: 'yes', locale: 'en' });
    expect(gone.status).toBe(404);
    // Another site cannot post votes through the page.
    const cross = await fetch(`${s.url}/help/en/articles/refund-a-payment?/feedback`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ helpful: 'yes' }),
    });
    expect(cross.status).toBe(403);
  });
});
