import type { RoomEvent } from '@autocrm/shared';
import { CATALOGUE } from '@autocrm/shared/strings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connected, newVisitor, visitorSocket } from './helpers/sockets';
import { BACKEND, startTestServer, type TestServer } from './helpers/test-server';

// The bot and the hand-off speak the visitor's widget language (from the shared catalogue), even when
// the knowledge base has no article in it: a Japanese visitor gets Japanese, not English.

async function until<T>(what: string, fn: () => T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A visitor whose widget speaks `locale` starts a chat over a real socket and collects the room. */
async function chatIn(s: TestServer, websiteToken: string, locale: string | undefined, body: string) {
  const v = await newVisitor(s.url, websiteToken);
  const socket = visitorSocket(s.url, websiteToken, v.visitorToken);
  await connected(socket);
  const events: RoomEvent[] = [];
  socket.on('message', (e) => events.push(e));
  const started = await call(socket, 'conversation:start', {
    clientId: `c-${Math.random()}`,
    body,
    ...(locale ? { locale } : {}),
  });
  expect(started.ok).toBe(true);
  const joined = await call(socket, 'room:join', { conversationId: started.conversationId, lastSeq: 0 });
  events.push(...joined.events);
  const by = (kind: string) => () => events.find((e) => e.message.authorKind === kind)?.message;
  return { socket, conversationId: started.conversationId as string, system: by('system'), bot: by('bot') };
}

describe(`the bot speaks the visitor's language (${BACKEND})`, () => {
  let s: TestServer;
  let websiteToken: string;

  beforeAll(async () => {
    s = await startTestServer({ bot: true });
    const inboxes = await s.req('GET', '/inboxes', { auth: s.admin });
    websiteToken = inboxes.body.data.find((i: { id: string }) => i.id === s.inboxId).websiteToken;
    const res = await s.req('POST', '/kb/articles', {
      auth: s.admin,
      body: {
        slug: 'reset-password',
        locale: 'en',
        title: 'Reset your password',
        body: 'To reset your password, open the sign-in page and choose **Forgot password**. We email you a reset link.',
        keywords: ['login', 'forgot'],
        status: 'published',
      },
    });
    expect(res.status).toBe(201);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('hands a Japanese visitor off with the Japanese notice when nothing answers', async () => {
    const v = await chatIn(s, websiteToken, 'ja', 'リスボンのサッカーチームのスポンサーをしていますか？');
    const notice = await until('hand-off notice', v.system);
    expect(notice.bodyText).toBe(CATALOGUE.ja.bot.handoff);
    const own = await s.req('GET', `/conversations/${v.conversationId}/ownership`, { auth: s.admin });
    expect(own.body.data.at(-1).reason).toBe('no_answer');
    v.socket.disconnect();
  });

  it('frames an English article in the visitor’s language (Arabic), then hands off in it on request', async () => {
    const v = await chatIn(s, websiteToken, 'ar-EG', 'how do I reset my password');
    const answer = await until('article answer', v.bot);
    expect(answer.bodyText).toContain(CATALOGUE.ar.bot.intro);
    expect(answer.bodyText).toContain(CATALOGUE.ar.bot.ask);
    expect(answer.bodyText).toContain('Forgot password');
    // The button's hand-off reads the room's stored language: the English-only knowledge base's turn
    // did not turn the visitor into an English speaker.
    expect(await call(v.socket, 'bot:handoff', { conversationId: v.conversationId })).toEqual({ ok: true, handedOff: true });
    expect((await until('hand-off notice', v.system)).bodyText).toBe(CATALOGUE.ar.bot.handoff);
    v.socket.disconnect();
  });

  it('speaks English to a visitor whose language we do not have, or who gave none', async () => {
    for (const locale of ['xx', undefined]) {
      const v = await chatIn(s, websiteToken, locale, 'Do you sponsor football teams in Lisbon?');
      expect((await until('hand-off notice', v.system)).bodyText).toBe(CATALOGUE.en.bot.handoff);
      v.socket.disconnect();
    }
  });
});
