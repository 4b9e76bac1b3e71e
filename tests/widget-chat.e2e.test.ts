import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { call, collect } from './helpers/sockets';
import { BACKEND, waitFor } from './helpers/test-server';
import {
  agent,
  agentReply,
  hostUrl,
  newPage,
  rate,
  resolve,
  s,
  useWidgetBrowser,
  visitorMessage,
  websiteToken,
  widget,
} from './helpers/widget-browser';

// Browser globals used inside page.evaluate callbacks (the repo's tsconfig has no DOM lib).
declare const window: any;
declare const localStorage: { getItem(k: string): string | null } & Record<string, unknown>;
declare function getComputedStyle(el: unknown): { color: string; fontSize: string; fontFamily: string; backgroundColor: string };

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Chatting in the widget (see helpers/widget-browser): live both ways across origins, on a phone, with
 * attachments, accessible; and the scripts it is served from. What the inbox's widget settings change
 * for a visitor is in widget-inbox-settings.
 */
describe(`chat widget in a browser (${BACKEND}${process.env.REDIS_URL ? ' + redis' : ''})`, () => {
  useWidgetBrowser();

  it('chats live across origins: send, agent reply, typing, read receipt, unread badge, safe rendering, reload mid-send, CSAT', async () => {
    const page = await newPage();
    // Drops the server's acks of message:send while `dropAcks` is on: the message is stored, but the
    // widget never hears so, as when a connection dies right after sending.
    let dropAcks = false;
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((m) => server.send(m));
      server.onMessage((m) => {
        if (dropAcks && typeof m === 'string' && m.startsWith('43/widget,')) {
          const payload = JSON.parse(m.replace(/^43\/widget,\d+/, ''))[0];
          if (payload?.clientId && payload.seq && !payload.conversationId) return;
        }
        ws.send(m);
      });
    });
    await page.goto(hostUrl);
    const w = widget(page);
    await w.locator('button.launcher').click();
    await w.getByText('Hi! Ask us anything.').first().waitFor();
    // An agent is online: no away notice.
    expect(await w.locator('.offline').count()).toBe(0);

    await w.locator('#composer').fill('Hello from the browser');
    await w.locator('#composer').press('Enter');
    const first = await visitorMessage('Hello from the browser');
    const conversationId = first.conversation_id;

    // The visitor's typing reaches the agent.
    await call(agent, 'room:join', { conversationId, lastSeq: 0 });
    const typingAtAgent = collect(agent, 'typing');
    await w.locator('#composer').pressSequentially('wa');
    await waitFor(() => typingAtAgent.some((e) => e.participant.kind === 'contact' && e.typing));
    await w.locator('#composer').fill('');

    // The agent types, then replies with rich text: it appears live, links made safe.
    agent.emit('typing', { conversationId, typing: true });
    await w.locator('.typing').getByText('is typing').waitFor();
    await agentReply(conversationId, '<p>Hi, <b>agent</b> here. See <a href="https://example.com/help">the docs</a></p>');
    const reply = w.locator('.msg.agent').filter({ hasText: 'agent here' });
    await reply.waitFor();
    expect(await reply.locator('b').textContent()).toBe('agent');
    expect(await reply.locator('a').getAttribute('rel')).toContain('noopener');
    await waitFor(() => page.evaluate(() => (window as any).seen.includes('message:agent')));
    expect(await page.evaluate(() => (window as any).seen[0])).toBe('ready');

    // Read receipt: the agent read the visitor's message.
    const last = await call(agent, 'room:join', { conversationId, lastSeq: 0 });
    agent.emit('read', { conversationId, seq: last.lastSeq });
    await w.locator('.msg.contact .meta').getByText('Seen').waitFor();

    // Customer text is text: markup shows as typed and never runs.
    const evil = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>`;
    await w.locator('#composer').fill(evil);
    await w.locator('#composer').press('Enter');
    await visitorMessage(evil);
    await waitFor(async () => (await w.locator('.msg.contact .text').last().textContent()) === evil);
    expect(await w.locator('.msg img, .msg script').count()).toBe(0);
    expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();

    // Host CSS does not leak in.
    const style = await w
      .locator('.msg.agent .text')
      .first()
      .evaluate((el) => {
        const cs = getComputedStyle(el);
        return { color: cs.color, fontSize: cs.fontSize, fontFamily: cs.fontFamily };
      });
    expect(style.color).not.toBe('rgb(255, 0, 0)');
    expect(style.fontSize).toBe('14px');
    expect(style.fontFamily).not.toBe('serif');
    expect(await w.locator('button.launcher').evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe('rgb(0, 255, 0)');
    await page.screenshot({ path: '/tmp/widget-desktop.png' });

    // Closed: a new agent message shows on the launcher's unread badge.
    await w.getByRole('button', { name: 'Close chat' }).first().click();
    await agentReply(conversationId, 'Anything else?');
    await w.locator('.badge').getByText('1').waitFor();
    await waitFor(() => page.evaluate(() => (window as any).unread === 1));
    await w.locator('button.launcher').click();
    await waitFor(async () => (await w.locator('.badge').count()) === 0);

    // Reload mid-send: the server stores the message, the ack is lost, the page reloads; the widget
    // sends it again from its outbox with the same client id, and it is stored (and shown) once.
    dropAcks = true;
    await w.locator('#composer').fill('Sent across a reload');
    await w.locator('#composer').press('Enter');
    const stored = await visitorMessage('Sent across a reload');
    const unacked = () =>
      page.evaluate(() =>
        Object.keys(localStorage)
          .filter((k) => k.endsWith(':outbox'))
          .flatMap((k) => JSON.parse(localStorage.getItem(k) ?? '[]') as { clientId: string }[])
          .map((p) => p.clientId),
      );
    // Stored on the server, still in the widget's outbox (no ack): now the page goes away.
    expect(await unacked()).toEqual([stored.client_id]);
    dropAcks = false;
    await page.reload();
    await widget(page).locator('button.launcher').click();
    await widget(page).locator('.msg.contact:not(.pending)').getByText('Sent across a reload').waitFor();
    // Sent again after the reload with the same client id, acked, and gone from the outbox.
    await waitFor(async () => (await unacked()).length === 0);
    expect(await widget(page).locator('.msg.pending').count()).toBe(0);
    const copies = await s.deps.db
      .selectFrom('messages')
      .select('id')
      .where('conversation_id', '=', conversationId)
      .where('body_text', '=', 'Sent across a reload')
      .execute();
    expect(copies).toHaveLength(1);
    expect(stored.client_id).toBeTruthy();
    expect(await widget(page).locator('.msg.contact').filter({ hasText: 'Sent across a reload' }).count()).toBe(1);
    // The history came back after the reload too.
    expect(await widget(page).locator('.msg.contact').filter({ hasText: 'Hello from the browser' }).count()).toBe(1);
    // ... and replayed history is not announced to 'message' listeners as news.
    await widget(page).locator('.msg.agent').getByText('Anything else?').waitFor();
    expect(await page.evaluate(() => window.seen)).toEqual(['ready']);

    // Resolved by the agent: the visitor rates it.
    await resolve(conversationId);
    await rate(page, conversationId, 4, 'Quick and kind');
  });

  it('works full-screen on a phone', async () => {
    const page = await newPage({ phone: true });
    await page.goto(`${hostUrl}/?boot=${encodeURIComponent(JSON.stringify({ locale: 'en' }))}`);
    const w = widget(page);
    await w.locator('button.launcher').tap();
    const panel = await w.locator('.panel').boundingBox();
    expect(panel).toMatchObject({ x: 0, y: 0, width: 390, height: 844 });
    // Touch targets are at least 44 px.
    const sendBox = await w.getByRole('button', { name: 'Send' }).boundingBox();
    expect(sendBox!.height).toBeGreaterThanOrEqual(44);
    await w.locator('#composer').fill('Hello from my phone');
    await w.getByRole('button', { name: 'Send' }).tap();
    const first = await visitorMessage('Hello from my phone');
    await agentReply(first.conversation_id, 'Hello, phone visitor');
    await w.locator('.msg.agent').getByText('Hello, phone visitor').waitFor();
    await page.screenshot({ path: '/tmp/widget-phone.png' });
    await resolve(first.conversation_id);
    await rate(page, first.conversation_id, 5, 'Great on mobile');
  });

  it('sends an attachment with progress; the file is stored under DATA_DIR and served back; wrong types are refused', async () => {
    const page = await newPage();
    await page.goto(hostUrl);
    const w = widget(page);
    await w.locator('button.launcher').click();
    await w.locator('#composer').fill('Here is my receipt');
    await w.locator('#composer').press('Enter');
    const first = await visitorMessage('Here is my receipt');
    // A 1x1 PNG.
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    await w.locator('input[type=file]').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: png });
    const row = await waitFor(() =>
      s.deps.db
        .selectFrom('messages')
        .select(['attachments'])
        .where('conversation_id', '=', first.conversation_id)
        .where('body_text', '=', 'receipt.png')
        .executeTakeFirst(),
    );
    const att = row!.attachments[0]!;
    expect(att).toMatchObject({ name: 'receipt.png', contentType: 'image/png', size: png.length });
    await w.locator('.msg.contact:not(.pending) img[alt="receipt.png"]').waitFor();
    const served = await fetch(att.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);

    await w
      .locator('input[type=file]')
      .setInputFiles({ name: 'evil.html', mimeType: 'text/html', buffer: Buffer.from('<script>1</script>') });
    await w.getByText('Could not upload evil.html').waitFor();
    await page.screenshot({ path: '/tmp/widget-attachment.png' });
    const v = await page.evaluate(() => {
      const k = Object.keys(localStorage).find((x) => x.startsWith('autocrm:visitor:'))!;
      return JSON.parse(localStorage.getItem(k)!).token as string;
    });
    const big = await fetch(`${s.url}/widget-uploads`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf', 'x-website-token': websiteToken, 'x-visitor-token': v },
      body: new Uint8Array(10 * 1024 * 1024 + 1),
    });
    expect(big.status).toBe(413);
    const stranger = await fetch(`${s.url}/widget-uploads`, {
      method: 'POST',
      headers: { 'content-type': 'image/png', 'x-website-token': websiteToken, 'x-visitor-token': 'vt_forged' },
      body: png,
    });
    expect(stranger.status).toBe(401);
  });

  it('has no serious or critical axe violations inside the shadow root', async () => {
    const page = await newPage();
    await page.goto(hostUrl);
    const w = widget(page);
    await w.locator('button.launcher').click();
    await w.locator('#composer').fill('Checking accessibility');
    await w.locator('#composer').press('Enter');
    const first = await visitorMessage('Checking accessibility');
    await agentReply(first.conversation_id, 'Accessible reply');
    await w.getByText('Accessible reply').waitFor();
    await page.addScriptTag({ content: axeSource });
    const violations = await page.evaluate(async () => {
      const axe = (window as any).axe;
      const result = await axe.run({ include: [['autocrm-widget']] }, { resultTypes: ['violations'] });
      return result.violations
        .filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical')
        .map((v: { id: string; nodes: { target: unknown }[] }) => ({ id: v.id, targets: v.nodes.map((n) => n.target) }));
    });
    expect(violations).toEqual([]);
    // The launcher and the panel speak to screen readers.
    expect(await w.locator('[role=dialog]').getAttribute('aria-label')).toBeTruthy();
    expect(await w.locator('[role=log]').count()).toBe(1);
  });

  it('serves the scripts with CORS and caching, and a /demo page', async () => {
    const loader = await fetch(`${s.url}/widget.js`, { headers: { origin: hostUrl } });
    expect(loader.status).toBe(200);
    expect(loader.headers.get('access-control-allow-origin')).toBe('*');
    expect(loader.headers.get('access-control-allow-credentials')).toBeNull();
    expect(loader.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const appPath = (await loader.text()).match(/\/widget\/app\.[0-9a-f]+\.js/)?.[0];
    const app = await fetch(`${s.url}${appPath}`);
    expect(app.status).toBe(200);
    expect(app.headers.get('cache-control')).toContain('immutable');
    // The agent API stays closed to other origins.
    const api = await fetch(`${s.url}/api/v1/conversations`, { headers: { origin: hostUrl } });
    expect(api.headers.get('access-control-allow-origin')).toBeNull();
    const demo = await fetch(`${s.url}/demo`);
    expect(demo.status).toBe(200);
    expect(await demo.text()).toContain(websiteToken);
  });
});
