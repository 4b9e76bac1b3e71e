import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM } from './helpers/browser';
import { type FakeOpenAI, groundedReply, startFakeOpenAI } from './helpers/fake-openai';
import { shot, signIn, useKbBrowser, visitorAsks, websiteTokenOf } from './helpers/kb-workspace';
import { ADMIN, startTestServer, type TestServer } from './helpers/test-server';

// The bot answering a visitor with a (fake) LLM, seen from the conversation room in a real Chromium:
// its answer streamed as it is written, then stored with citations; agent assist's suggested reply.
// `npm test` builds web/ first. The knowledge base pages and the bot without an LLM are in workspace-kb.

useKbBrowser();

describe.skipIf(!existsSync(CHROMIUM))('the bot streaming into the room, and a suggested reply (fake LLM)', () => {
  let s: TestServer;
  let llm: FakeOpenAI;
  let websiteToken: string;

  beforeAll(async () => {
    llm = await startFakeOpenAI();
    s = await startTestServer({
      bot: true,
      env: { OPENAI_BASE_URL: llm.url, OPENAI_TIMEOUT_MS: '20000', OPENAI_EMBEDDING_MODEL: 'none' },
    });
    websiteToken = await websiteTokenOf(s);
    const res = await s.req('POST', '/kb/articles', {
      auth: s.admin,
      body: {
        slug: 'reset-password',
        locale: 'en',
        title: 'Reset your password',
        body: 'To reset your password, open the sign-in page and choose **Forgot password**. We email you a link.',
        keywords: ['login', 'forgot'],
        status: 'published',
      },
    });
    expect(res.status).toBe(201);
  });

  afterAll(async () => {
    await s?.close();
    await llm?.close();
  });

  it('shows the answer as the bot writes it, then the stored message; the suggested reply goes into the composer', async () => {
    const page = await signIn(s, ADMIN);
    // Slow enough that the room is open before the first words arrive.
    llm.reply = (req) => ({ ...groundedReply(req), delayMs: 2500, chunkDelayMs: 150 });
    const conversationId = await visitorAsks(s, websiteToken, 'How can I reset my password? I forgot it');
    await page.goto(`${s.url}/inbox/${conversationId}`);
    await page.locator('[data-owner="bot"]').waitFor();
    const stream = page.locator('[data-bot-stream]');
    await stream.waitFor({ timeout: 15_000 });
    await stream.getByText('Bot is typing…').waitFor();
    await expect.poll(() => stream.locator('.stream').textContent()).toContain('From our help');
    await shot(page, 'room-streaming');
    // Text, not HTML: the Markdown stars show as typed while it streams.
    expect(await stream.locator('.stream strong').count()).toBe(0);
    // Then the stored message replaces it.
    const stored = page.locator('li.msg.bot:not([data-bot-stream])');
    await stored.waitFor({ timeout: 15_000 });
    await stream.waitFor({ state: 'detached', timeout: 10_000 });
    expect(await stored.textContent()).toContain('Forgot password');
    await stored.locator('[data-citations] a', { hasText: 'Reset your password' }).waitFor();

    // The assist panel drafted a reply from the article: insert it, then the bot steps back.
    llm.reply = groundedReply;
    await page.locator('[data-assist-refresh]').click();
    await page.locator('[data-suggested-reply]').waitFor({ timeout: 15_000 });
    await page.locator('[data-insert-reply]').click();
    await expect.poll(() => page.locator('.editor').textContent()).toContain('From our help center');
    // Writing in the room takes it from the bot (the server hands off when an agent types): the badge follows live.
    await page.locator('[data-owner="human"]').waitFor({ timeout: 15_000 });
    await shot(page, 'room-suggested-reply');
  });
});
