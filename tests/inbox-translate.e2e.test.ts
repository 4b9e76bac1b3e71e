import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { launchChromium } from './helpers/browser';
import { type FakeOpenAI, startFakeOpenAI } from './helpers/fake-openai';
import { startVisitorChat, type TestSocket } from './helpers/sockets';
import { ADMIN, BACKEND, startTestServer, type TestServer } from './helpers/test-server';

vi.setConfig({ testTimeout: 180_000 });

/**
 * "Translate" on a customer's message: the configured LLM (a loopback OpenAI stand-in speaking the real API)
 * translates it into the agent's workspace language, shown under the original for that agent, stored nowhere.
 */
describe(`translate a customer's message (${BACKEND})`, () => {
  let llm: FakeOpenAI;
  let s: TestServer;
  let browser: Browser;
  let chat: { socket: TestSocket; conversationId: string };
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    llm = await startFakeOpenAI();
    llm.reply = (req) =>
      req.messages[0]?.content.includes('into German')
        ? { text: 'Wo ist mein Paket? Es sollte am Montag ankommen.' }
        : { text: 'unexpected prompt' };
    s = await startTestServer({
      env: { OPENAI_BASE_URL: llm.url, OPENAI_API_KEY: 'sk-test', OPENAI_TIMEOUT_MS: '4000', OPENAI_EMBEDDING_MODEL: 'none' },
    });
    const inboxes = await s.req('GET', '/inboxes', { auth: s.admin });
    const websiteToken = inboxes.body.data.find((i: { id: string }) => i.id === s.inboxId).websiteToken;
    chat = await startVisitorChat(s.url, websiteToken, 'Where is my parcel? It was due on Monday.');
    browser = await launchChromium();
  });
  afterAll(async () => {
    chat?.socket.disconnect();
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await s?.close();
    await llm?.close();
  });

  it('over the API: into the language asked for, refused for a message of another conversation', async () => {
    expect((await s.req('GET', '/features', { auth: s.admin })).body).toEqual({ translation: true });
    const messages = (await s.req('GET', `/conversations/${chat.conversationId}/messages`, { auth: s.admin })).body.data;
    const first = messages.find((m: { authorKind: string }) => m.authorKind === 'contact');
    const res = await s.req('POST', `/conversations/${chat.conversationId}/messages/${first.id}/translate`, {
      auth: s.admin,
      body: { target: 'de' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ text: 'Wo ist mein Paket? Es sollte am Montag ankommen.', target: 'de' });
    const sent = llm.chats.at(-1)!;
    expect(sent.messages[0]!.content).toContain('into German');
    expect(sent.messages[1]!.content).toBe('Where is my parcel? It was due on Monday.');
    expect(
      (
        await s.req('POST', `/conversations/${chat.conversationId}/messages/${first.id}/translate`, {
          auth: s.admin,
          body: { target: 'x!' },
        })
      ).status,
    ).toBe(400);
    const other = await s.req('POST', '/conversations', {
      auth: s.admin,
      body: { inboxId: s.inboxId, subject: 'Other', contact: { email: 'o@example.com' }, message: { body: 'hi' } },
    });
    expect(
      (
        await s.req('POST', `/conversations/${other.body.id}/messages/${first.id}/translate`, {
          auth: s.admin,
          body: { target: 'de' },
        })
      ).status,
    ).toBe(404);
  });

  it('in the German workspace: Translate shows the German text under the original', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'de-DE' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${s.url}/inbox/${chat.conversationId}`);
    await page.getByLabel('E-Mail').fill(ADMIN.email);
    await page.getByLabel('Passwort').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.waitForURL((u) => u.pathname === `/inbox/${chat.conversationId}`);
    await page.locator('[data-collab-ready="true"]').waitFor();
    const msg = page.locator('li.msg.contact', { hasText: 'Where is my parcel?' });
    await msg.locator('[data-translate]', { hasText: 'Übersetzen' }).click();
    await msg.locator('[data-translation]', { hasText: 'Wo ist mein Paket?' }).waitFor();
    expect(await msg.locator('[data-translation]').textContent()).toContain('Übersetzt nach Deutsch');
    // The original stays; nothing of the translation is stored.
    expect(await msg.textContent()).toContain('Where is my parcel?');
    const stored = await s.deps.db.selectFrom('messages').select('id').where('body_text', 'like', '%Paket%').execute();
    expect(stored).toEqual([]);
  });
});
