import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without types
import { buildWidget } from '../widget/build.mjs';
import { launchChromium } from './helpers/browser';
import { type HostPage, startHostPage } from './helpers/host-page';
import { startPushService } from './helpers/push-service';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

declare const window: any;
declare const navigator: any;

/**
 * "Notify me" in the widget, in a real Chromium with the notification permission granted, on a host
 * site on another origin whose own service worker imports the widget's (boot option pushWorker). The
 * browser's push service (Google's, out of reach here) is the loopback stand-in of
 * tests/notifications.test.ts: the page's PushManager hands out that service's subscription, so the
 * server's real Web Push request arrives there, encrypted, and is decrypted here.
 */
describe(`widget push opt-in in a browser (${BACKEND})`, () => {
  let s: TestServer;
  let push: Awaited<ReturnType<typeof startPushService>>;
  let host: HostPage;
  let browser: Browser;
  let websiteToken: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await buildWidget({ quiet: true });
    push = await startPushService();
    s = await startTestServer({ env: { PUSH_CA_FILE: push.caFile, PUSH_SUBJECT: 'mailto:ops@acme.test' } });
    const inboxes = await s.req('GET', '/inboxes', { auth: s.admin });
    websiteToken = inboxes.body.data.find((i: { id: string }) => i.id === s.inboxId).websiteToken;
    host = await startHostPage({
      serverUrl: s.url,
      websiteToken,
      title: 'Host shop',
      // The site's own service worker: one line that brings in the widget's push handling.
      files: {
        '/autocrm-sw.js': { type: 'text/javascript', body: `importScripts(${JSON.stringify(`${s.url}/widget/sw.js`)});` },
      },
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await host?.close();
    await s?.close();
    await push?.close();
  });

  async function open(boot: Record<string, unknown>, init?: string): Promise<{ page: Page; context: BrowserContext }> {
    const context = await browser.newContext();
    contexts.push(context);
    await context.grantPermissions(['notifications'], { origin: host.url });
    if (init) await context.addInitScript(init);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('page error:', err.message));
    await page.goto(`${host.url}/?boot=${encodeURIComponent(JSON.stringify(boot))}`);
    const w = page.locator('autocrm-widget');
    await w.locator('button.launcher').click();
    // Hydrated: the composer is there and answers.
    await w.locator('#composer').waitFor();
    return { page, context };
  }

  async function send(page: Page, body: string) {
    const w = page.locator('autocrm-widget');
    await w.locator('#composer').fill(body);
    await w.locator('#composer').press('Enter');
    return (await waitFor(() =>
      s.deps.db
        .selectFrom('messages')
        .select('conversation_id')
        .where('body_text', '=', body)
        .where('author_kind', '=', 'contact')
        .executeTakeFirst(),
    ))!.conversation_id;
  }

  it('offers "Notify me" after the first message, subscribes through the site\'s worker, and the reply arrives by push', async () => {
    const sub = push.subscription();
    // The browser's push service: subscribe() answers with the loopback service's subscription and
    // remembers the application server key it was given.
    const init = `(() => {
      const json = ${JSON.stringify(sub.json)};
      PushManager.prototype.getSubscription = async function () { return null; };
      PushManager.prototype.subscribe = async function (opts) {
        const bytes = new Uint8Array(opts.applicationServerKey);
        window.__pushKey = btoa(String.fromCharCode(...bytes)).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
        return { endpoint: json.endpoint, toJSON: () => json };
      };
    })();`;
    const { page, context } = await open({ pushWorker: '/autocrm-sw.js' }, init);
    const w = page.locator('autocrm-widget');
    const notify = w.getByRole('button', { name: 'Notify me of replies', exact: true });
    // Nothing to be notified about before the visitor has said something.
    expect(await notify.count()).toBe(0);

    const conversationId = await send(page, 'Is my order shipped?');
    await notify.waitFor();
    await page.screenshot({ path: '/tmp/widget-push-offer.png' });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: '/tmp/widget-push-offer-phone.png' });
    await page.setViewportSize({ width: 1280, height: 800 });
    await notify.click();
    await w.getByText('We will notify you when we reply.', { exact: true }).waitFor();
    expect(await notify.count()).toBe(0);
    await page.screenshot({ path: '/tmp/widget-push-on.png' });

    // Subscribed with the server's VAPID key, through the site's worker (which imported ours).
    const key = (await (await fetch(`${s.url}/widget-api/v1/push/key`)).json()) as { publicKey: string };
    expect(await page.evaluate(() => window.__pushKey)).toBe(key.publicKey);
    const scopes = await page.evaluate(async () =>
      (await navigator.serviceWorker.getRegistrations()).map(
        (r: { scope: string; active: unknown; installing: unknown }) => r.scope,
      ),
    );
    expect(scopes).toEqual([`${host.url}/`]);

    // The visitor leaves (the server pushes only to someone not in the chat); the agent's reply goes
    // out by Web Push, encrypted for this subscription.
    await page.goto('about:blank');
    await context.close();
    await waitFor(async () => (await s.deps.realtime!.widget.in(`conv:${conversationId}`).fetchSockets()).length === 0);
    const reply = await s.req('POST', `/conversations/${conversationId}/messages`, {
      auth: s.admin,
      body: { body: 'Yes, it left the warehouse today.' },
    });
    expect(reply.status).toBe(201);
    const got = await waitFor(() => push.received.find((r) => r.path === sub.path));
    expect(sub.decrypt(got!.body)).toMatchObject({ title: 'New reply from support', body: 'Yes, it left the warehouse today.' });
  });

  it('does not offer it where the site has no worker for it, or the browser has no PushManager', async () => {
    const plain = await open({});
    await send(plain.page, 'A question from a site without a push worker');
    const w1 = plain.page.locator('autocrm-widget');
    await w1.locator('.msg.contact').filter({ hasText: 'without a push worker' }).waitFor();
    expect(await w1.getByRole('button', { name: 'Notify me of replies', exact: true }).count()).toBe(0);

    const old = await open({ pushWorker: '/autocrm-sw.js' }, 'delete window.PushManager;');
    await send(old.page, 'A question from an old browser');
    const w2 = old.page.locator('autocrm-widget');
    await w2.locator('.msg.contact').filter({ hasText: 'from an old browser' }).waitFor();
    expect(await w2.getByRole('button', { name: 'Notify me of replies', exact: true }).count()).toBe(0);
  });
});
