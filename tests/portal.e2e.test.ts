import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from './helpers/browser';
import { startPushService } from './helpers/push-service';
import { mailClient, startSmtpSink } from './helpers/smtp-sink';
import { agentSocket, call, collect, connected, visitorSocket } from './helpers/sockets';
import { startTestServer, type TestServer, waitFor } from './helpers/test-server';

// The customer portal in a real Chromium: a customer who wrote from the widget and by email asks for a
// sign-in link, gets it over loopback SMTP, signs in, sees both tickets, answers one (an agent's socket
// sees it live), opens a ticket with a customer-visible field and a file, and reads and replies with
// JavaScript off. Links work once and not after expiry; an unknown address gets the same answer.

const SHOTS = process.env.PORTAL_SCREENSHOTS ?? join(tmpdir(), 'autocrm-portal-screens');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const CUSTOMER = 'carol@example.com';
const INBOX = 'support@acme.test';

let s: TestServer;
let browser: Browser;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let push: Awaited<ReturnType<typeof startPushService>>;
let mail: ReturnType<typeof mailClient>;
let widgetConv: string;
let emailConv: string;

describe.skipIf(!existsSync(CHROMIUM))('customer portal (browser)', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    sink = await startSmtpSink();
    push = await startPushService();
    s = await startTestServer({
      env: { SMTP_URL: sink.url, SMTP_INBOUND_PORT: '0', PUSH_CA_FILE: push.caFile, PUSH_SUBJECT: 'mailto:ops@acme.test' },
    });
    expect(
      (await s.req('POST', '/inboxes', { auth: s.admin, body: { name: INBOX, channel: 'email', members: [s.admin.userId] } }))
        .status,
    ).toBe(201);
    await s.req('PUT', '/portal-settings', { auth: s.admin, body: { name: 'Acme Support', primaryColor: '#1f4fd1' } });
    // A ticket from the widget, as the host site's signed-in user (so the contact has the address)...
    const inboxes = (await s.req('GET', '/inboxes', { auth: s.admin })).body.data as { id: string; websiteToken: string }[];
    const websiteToken = inboxes.find((i) => i.id === s.inboxId)!.websiteToken;
    const secret = (await s.req('GET', `/inboxes/${s.inboxId}/widget`, { auth: s.admin })).body.identitySecret as string;
    const res = await fetch(`${s.url}/widget-api/v1/visitors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        websiteToken,
        user: {
          id: 'carol-1',
          email: CUSTOMER,
          name: 'Carol Customer',
          hash: createHmac('sha256', secret).update('carol-1').digest('hex'),
        },
      }),
    });
    const visitor = (await res.json()) as { visitorToken: string };
    const vs = visitorSocket(s.url, websiteToken, visitor.visitorToken);
    await connected(vs);
    const started = await call(vs, 'conversation:start', {
      clientId: 'w-1',
      body: 'My card reader does not pair',
      subject: 'Card reader',
    });
    widgetConv = started.conversationId;
    vs.disconnect();
    // ... and one by email from the same address.
    mail = mailClient(s.deps.channels!.get('email')!.ports.smtp!);
    await mail.send({
      from: { name: 'Carol Customer', address: CUSTOMER },
      to: INBOX,
      subject: 'Invoice question',
      text: 'Where is my invoice for November?',
    });
    emailConv = (await waitFor(async () => {
      const list = (await s.req('GET', '/conversations?limit=50', { auth: s.admin })).body.data as {
        id: string;
        subject: string;
      }[];
      return list.find((c) => c.subject === 'Invoice question');
    }))!.id;
    await s.req('POST', `/conversations/${emailConv}/notes`, {
      auth: s.admin,
      body: { body: 'INTERNAL: check the billing system' },
    });
    await s.req('POST', `/conversations/${emailConv}/messages`, {
      auth: s.admin,
      body: { body: '<p>Your invoice is on its way.</p>' },
    });
    await s.req('POST', '/custom-fields', {
      auth: s.admin,
      body: { key: 'order_number', label: 'Order number', type: 'text', customerVisible: true },
    });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    mail?.close();
    await browser?.close();
    await s?.close();
    await sink?.close();
    await push?.close();
  });

  const newContext = (opts: Parameters<Browser['newContext']>[0] = {}) =>
    browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true, ...opts }).then((c) => {
      c.setDefaultTimeout(60_000);
      return c;
    });
  const hydrated = (page: Page) => page.locator('body[data-portal-ready="1"]').waitFor();
  // Sign-in mails only (agents' answers to the email ticket go to the same address).
  const mailsTo = (address: string) =>
    sink.mails.filter((m) => m.envelope.to.includes(address) && /sign-in link/.test(m.parsed.subject ?? ''));
  /** The n-th sign-in link mailed to the address, on the test server's origin. */
  async function mailedLink(address: string, n: number): Promise<string> {
    const m = (await waitFor(() => mailsTo(address)[n - 1], { timeoutMs: 30_000 }))!;
    const url = new URL(/https?:\/\/\S+\/portal\/sign-in\/[A-Za-z0-9_-]+/.exec(m.parsed.text ?? '')![0]);
    return `${s.url}${url.pathname}`;
  }
  async function requestLink(page: Page, email: string): Promise<string> {
    await page.goto(`${s.url}/portal/sign-in`);
    await hydrated(page);
    await page.getByLabel('Email address').first().fill(email);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    return (await page.getByTestId('link-sent').textContent())!.trim();
  }
  async function axeSerious(page: Page) {
    await page.addScriptTag({ content: axeSource });
    return page.evaluate(async () => {
      const g = globalThis as any;
      const result = await g.axe.run(g.document, { resultTypes: ['violations'] });
      return result.violations
        .filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical')
        .map((v: { id: string; nodes: { target: unknown }[] }) => ({ id: v.id, targets: v.nodes.map((n) => n.target) }));
    });
  }
  let signedIn: BrowserContext;

  it('mails a link (the same answer for an unknown address), signs in once, and shows the widget and email tickets', async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(`${s.url}/portal`);
    await page.waitForURL((u) => u.pathname === '/portal/sign-in');
    await page.screenshot({ path: join(SHOTS, 'portal-sign-in.png') });
    expect(await axeSerious(page)).toEqual([]);
    const unknownAnswer = await requestLink(page, 'stranger@example.com');
    const knownAnswer = await requestLink(page, CUSTOMER);
    expect(knownAnswer).toBe(unknownAnswer);
    const link = await mailedLink(CUSTOMER, 1);
    await s.settle();
    expect(mailsTo('stranger@example.com')).toHaveLength(0);

    await page.goto(link);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.pathname === '/portal');
    await page.getByRole('link', { name: 'Card reader' }).waitFor();
    await page.getByRole('link', { name: 'Invoice question' }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'portal-tickets.png') });
    expect(await axeSerious(page)).toEqual([]);
    // The portal links to the help center.
    expect(await page.getByRole('link', { name: 'Help center', exact: true }).getAttribute('href')).toBe('/help');

    // The link worked once: a second use (another browser) is refused.
    const other = await (await newContext()).newPage();
    await other.goto(link);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.getByText('This sign-in link is not valid any more').waitFor();
    await other.context().close();
    signedIn = context;
  });

  it('refuses a link after its 15 minutes', async () => {
    const page = await (await newContext()).newPage();
    await requestLink(page, CUSTOMER);
    const link = await mailedLink(CUSTOMER, 2);
    await s.deps.db
      .updateTable('portal_links')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('used_at', 'is', null)
      .execute();
    await page.goto(link);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('This sign-in link has expired').waitFor();
    await page.context().close();
  });

  it('reads the whole public history and replies; an agent in the room sees the reply live', async () => {
    const page = await signedIn.newPage();
    await page.goto(`${s.url}/portal/tickets/${emailConv}`);
    await hydrated(page);
    await page.getByText('Your invoice is on its way.').waitFor();
    expect(await page.content()).not.toContain('INTERNAL');
    const agent = agentSocket(s.url, s.admin);
    await connected(agent);
    const seen = collect(agent, 'message');
    expect((await call(agent, 'room:join', { conversationId: emailConv, lastSeq: 0 })).ok).toBe(true);
    await page.getByLabel('Your reply').fill('Thanks, found it in my spam folder.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await waitFor(() => seen.find((e: any) => e.message?.bodyText === 'Thanks, found it in my spam folder.'), {
      timeoutMs: 30_000,
    });
    expect(seen.find((e: any) => e.message?.bodyText === 'Thanks, found it in my spam folder.')).toMatchObject({
      message: { authorKind: 'contact', private: false },
    });
    await page.locator('.msg.you', { hasText: 'spam folder' }).waitFor();
    // An agent's answer appears without reloading.
    await s.req('POST', `/conversations/${emailConv}/messages`, { auth: s.admin, body: { body: '<p>Glad it turned up!</p>' } });
    await page.getByText('Glad it turned up!').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(SHOTS, 'portal-ticket.png'), fullPage: true });
    expect(await axeSerious(page)).toEqual([]);
    agent.disconnect();
    await page.close();
  });

  it('updates live over its socket (no polling) and catches up by seq after the connection drops', async () => {
    const page = await signedIn.newPage();
    // The page's socket goes through this stand-in, which can cut it and refuse reconnects for a while.
    let cut = false;
    const open = new Set<{ close(): Promise<void> }>();
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      if (cut) return void ws.close();
      open.add(ws);
      const server = ws.connectToServer();
      ws.onMessage((m) => server.send(m));
      server.onMessage((m) => ws.send(m));
      ws.onClose(() => open.delete(ws));
    });
    const dataLoads: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('__data.json')) dataLoads.push(r.url());
    });
    await page.goto(`${s.url}/portal/tickets/${emailConv}`);
    await hydrated(page);
    await page.locator('[data-live="on"]').waitFor();
    // Nothing happens, nothing is loaded (the page used to reload its data every 3 s).
    await page.waitForTimeout(4000);
    expect(dataLoads).toEqual([]);
    await s.req('POST', `/conversations/${emailConv}/messages`, {
      auth: s.admin,
      body: { body: '<p>Live over the socket.</p>' },
    });
    await page.getByText('Live over the socket.').waitFor({ timeout: 15_000 });
    expect(dataLoads.length).toBeGreaterThan(0);

    // The connection drops; an agent answers meanwhile; the page shows it once it is back.
    cut = true;
    for (const ws of [...open]) await ws.close();
    await page.locator('[data-live="off"]').waitFor();
    await s.req('POST', `/conversations/${emailConv}/messages`, {
      auth: s.admin,
      body: { body: '<p>Said while you were offline.</p>' },
    });
    await s.settle();
    await page.waitForTimeout(1000);
    expect(await page.getByText('Said while you were offline.').count()).toBe(0);
    cut = false;
    // An attempt made during the cut may hang until the client's connect timeout (8 s) gives it up.
    await page.locator('[data-live="on"]').waitFor({ timeout: 40_000 });
    await page.getByText('Said while you were offline.').waitFor({ timeout: 15_000 });
    await page.close();
  }, 120_000);

  it('opens a ticket with a customer-visible field and an attachment', async () => {
    const page = await signedIn.newPage();
    await page.goto(`${s.url}/portal/new`);
    await hydrated(page);
    await page.getByLabel('Subject').fill('Broken screen');
    await page.getByLabel('Describe your question').fill('The screen cracked on day two.');
    await page.getByLabel('Order number').fill('A-2002');
    await page
      .getByLabel(/Attach files/)
      .setInputFiles({ name: 'receipt.txt', mimeType: 'text/plain', buffer: Buffer.from('Receipt A-2002\n') });
    await page.screenshot({ path: join(SHOTS, 'portal-new-ticket.png'), fullPage: true });
    expect(await axeSerious(page)).toEqual([]);
    await page.getByRole('button', { name: 'Send ticket' }).click();
    await page.waitForURL((u) => u.pathname.startsWith('/portal/tickets/'));
    await page.getByRole('link', { name: 'receipt.txt' }).waitFor();
    const id = new URL(page.url()).pathname.split('/').at(-1)!;
    const conv = (await s.req('GET', `/conversations/${id}`, { auth: s.admin })).body;
    expect(conv).toMatchObject({ subject: 'Broken screen', customFields: { order_number: 'A-2002' } });
    await page.close();
  });

  it('fits a phone (390x844)', async () => {
    const cookies = await signedIn.cookies();
    const context = await newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await context.addCookies(cookies);
    const page = await context.newPage();
    for (const [path, shot] of [
      ['/portal', 'portal-phone-tickets.png'],
      [`/portal/tickets/${emailConv}`, 'portal-phone-ticket.png'],
      ['/portal/profile', 'portal-phone-profile.png'],
    ] as const) {
      await page.goto(`${s.url}${path}`);
      await hydrated(page);
      const overflow = await page.evaluate(() => {
        const g = globalThis as any;
        return g.document.documentElement.scrollWidth - g.innerWidth;
      });
      expect(overflow, path).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(SHOTS, shot), fullPage: true });
    }
    expect(await axeSerious(page)).toEqual([]);
    // The profile's preferences post to the portal route the notifications half stores through.
    await page.getByLabel('Email me when a ticket changes status').uncheck();
    await page.getByRole('button', { name: 'Save' }).nth(1).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await context.close();
  });

  it('notifies in this browser: the profile subscribes with the portal service worker, and a reply arrives as a push', async () => {
    const sub = push.subscription();
    const context = await newContext();
    await context.addCookies(await signedIn.cookies());
    await context.grantPermissions(['notifications'], { origin: s.url });
    // The browser's push service is the loopback stand-in: subscribing returns its subscription.
    await context.addInitScript((json: { endpoint: string }) => {
      const g = globalThis as any;
      g.PushManager.prototype.subscribe = async () => ({
        endpoint: json.endpoint,
        toJSON: () => json,
        unsubscribe: async () => true,
      });
    }, sub.json);
    const page = await context.newPage();
    page.on('console', (m) => console.log('page:', m.text()));
    page.on('pageerror', (e) => console.log('page error:', e.message));
    await page.goto(`${s.url}/portal/profile`);
    await hydrated(page);
    await page.getByRole('button', { name: 'Notify me in this browser', exact: true }).click();
    await page
      .locator('[data-push="on"]')
      .waitFor({ timeout: 15_000 })
      .catch(async (err) => {
        console.log('push state:', await page.locator('[data-push]').getAttribute('data-push'));
        throw err;
      });
    await page.getByText('This browser will notify you when support replies.').waitFor();
    const scope = await page.evaluate(
      async () => (await (globalThis as any).navigator.serviceWorker.getRegistration('/portal/'))?.scope,
    );
    expect(scope).toBe(`${s.url}/portal/`);
    await page.screenshot({ path: join(SHOTS, 'portal-profile-push.png'), fullPage: true });
    await page.close();
    // Nobody has the ticket open: the agent's reply reaches this browser, encrypted for it.
    await s.req('POST', `/conversations/${widgetConv}/messages`, {
      auth: s.admin,
      body: { body: '<p>A new reader is on its way.</p>' },
    });
    const got = await waitFor(() => push.received.find((r) => r.path === sub.path), { timeoutMs: 30_000 });
    expect(sub.decrypt(got!.body)).toMatchObject({
      title: 'New reply from support',
      body: 'A new reader is on its way.',
      tag: `conv-${widgetConv}`,
    });
    await context.close();
  });

  it('reads and replies with JavaScript off', async () => {
    const context = await newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    // Signing in is a plain form post too.
    await fetch(`${s.url}/api/v1/portal/sign-in/link`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: CUSTOMER }),
    });
    const link = await mailedLink(CUSTOMER, 3);
    await page.goto(link);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.pathname === '/portal');
    await page.getByRole('link', { name: 'Card reader' }).click();
    await page.waitForURL((u) => u.pathname === `/portal/tickets/${widgetConv}`);
    await page.getByText('My card reader does not pair').waitFor();
    await page.getByLabel('Your reply').fill('Still not pairing, without JavaScript.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.locator('.msg.you', { hasText: 'without JavaScript' }).waitFor();
    const msgs = (await s.req('GET', `/conversations/${widgetConv}/messages`, { auth: s.admin })).body.data as {
      bodyText: string;
    }[];
    expect(msgs.at(-1)!.bodyText).toBe('Still not pairing, without JavaScript.');
    await context.close();
  });
});
