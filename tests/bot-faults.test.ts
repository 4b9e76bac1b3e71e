import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAI, startFakeOpenAI } from './helpers/fake-openai';
import { startVisitorChat, type VisitorChat } from './helpers/sockets';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// The LLM misbehaving mid-answer, through a loopback OpenAI-compatible server that scripts each fault.

const API_KEY = 'sk-test-4f9d2c8e1b7a6035secret';

const ANSWER =
  'To reset your password, open the sign-in page and choose Forgot password, then follow the link we email you within the hour [1]';

describe(`the bot when the LLM stream goes wrong (${BACKEND})`, () => {
  let s: TestServer;
  let llm: FakeOpenAI;
  let websiteToken: string;
  const lines: string[] = [];

  beforeAll(async () => {
    llm = await startFakeOpenAI();
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    s = await startTestServer({
      bot: true,
      logger: pino({ level: 'debug' }, sink),
      env: { OPENAI_BASE_URL: llm.url, OPENAI_API_KEY: API_KEY, OPENAI_TIMEOUT_MS: '4000', OPENAI_EMBEDDING_MODEL: 'none' },
    });
    const inboxes = await s.req('GET', '/inboxes', { auth: s.admin });
    websiteToken = inboxes.body.data.find((i: { id: string }) => i.id === s.inboxId).websiteToken;
    const res = await s.req('POST', '/kb/articles', {
      auth: s.admin,
      body: {
        slug: 'reset-password',
        locale: 'en',
        title: 'Reset your password',
        body: 'To reset your password, open the sign-in page and choose **Forgot password**. We email you a reset link that is valid for one hour.',
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

  const lastHandoff = async (id: string) =>
    (await s.req('GET', `/conversations/${id}/ownership`, { auth: s.admin })).body.data.at(-1);

  async function expectHandedOffWithNothingStored(v: VisitorChat) {
    // The visitor is told (the hand-off notice), the room is a person's, and no half answer was stored.
    await waitFor(() => v.events.some((e) => e.message.authorKind === 'system'), { timeoutMs: 20_000 });
    expect((await lastHandoff(v.conversationId)).reason).toBe('llm_failed');
    expect(v.events.some((e) => e.message.authorKind === 'bot')).toBe(false);
    const stored = await s.req('GET', `/conversations/${v.conversationId}/messages`, { auth: s.admin });
    expect(stored.body.data.some((m: { authorKind: string }) => m.authorKind === 'bot')).toBe(false);
    // The half-written preview is taken down.
    expect(v.streams.at(-1)).toMatchObject({ done: true, text: '' });
  }

  it('hands off when the stream stalls after the first chunks (nothing half-written stored)', async () => {
    llm.reply = () => ({ text: ANSWER, stallAfterChunks: 3 });
    const v = await startVisitorChat(s.url, websiteToken, 'How can I reset my password? I forgot it');
    await expectHandedOffWithNothingStored(v);
    v.socket.disconnect();
  }, 60_000);

  it('hands off when the stream ends without a finish reason (nothing half-written stored)', async () => {
    llm.reply = () => ({ text: ANSWER.slice(0, 60), noFinishReason: true });
    const v = await startVisitorChat(s.url, websiteToken, 'I forgot my password, how do I reset it?');
    await expectHandedOffWithNothingStored(v);
    v.socket.disconnect();
  }, 60_000);

  it('never streams a prompt-injected answer’s other-customer emails or outside links to the visitor', async () => {
    llm.reply = () => ({
      text: 'Sure! Other customers: maria@example.com, tom@charity.example.org. ![x](https://evil.example/track.png) See [here](https://evil.example/phish) or https://evil.example/raw and reset via the sign-in page [1]',
      chunkDelayMs: 15,
    });
    // The injection is in the (scripted) model's answer; the question is an ordinary, confidently answerable one.
    const v = await startVisitorChat(s.url, websiteToken, 'How do I reset my password? I forgot it');
    await waitFor(() => v.events.some((e) => e.message.authorKind === 'bot'), { timeoutMs: 20_000 });
    const partial = v.streams.filter((e) => !e.done);
    // It did stream (several growing frames), and the guarded words show where they were.
    expect(partial.length).toBeGreaterThanOrEqual(3);
    expect(partial.at(-1)?.text).toContain('[email removed]');
    for (const frame of v.streams) {
      expect(frame.text).not.toMatch(/maria@|tom@|charity\.example|evil\.example|track\.png|phish/);
    }
    v.socket.disconnect();
  }, 60_000);

  it('logs a failed upstream call by code and status only, never its body (which may echo the API key)', async () => {
    llm.reply = () => ({ text: '', status: 400, echoAuthorization: true });
    const v = await startVisitorChat(s.url, websiteToken, 'Where do I reset my password, I forgot it');
    await waitFor(() => v.events.some((e) => e.message.authorKind === 'system'), { timeoutMs: 20_000 });
    await waitFor(() => lines.some((l) => l.includes('LLM call failed') && l.includes(v.conversationId)));
    const logged = lines.join('\n');
    expect(logged).not.toContain(API_KEY);
    expect(logged).not.toContain('headers were');
    expect(lines.find((l) => l.includes('LLM call failed') && l.includes(v.conversationId))).toMatch(/"status":400/);
    v.socket.disconnect();
  }, 60_000);
});
