import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connected, newVisitor, type TestSocket, visitorSocket } from './helpers/sockets';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

type Position = { conversationId: string; position: number; estimatedWaitMinutes: number | null };

// When a merge or a snooze frees a place ahead in the queue, the visitors behind hear their new
// position live (before: only an assignment or a status change said so).
describe(`queue positions pushed on merge and snooze (${BACKEND})`, () => {
  let s: TestServer;
  let websiteToken: string;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    s = await startTestServer();
    websiteToken = (await s.req('GET', '/inboxes', { auth: s.admin })).body.data.find(
      (i: { id: string }) => i.id === s.inboxId,
    ).websiteToken;
    await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [s.admin.userId] } });
    // Nobody can take a conversation: everything waits.
    const settings = await s.req('GET', '/routing/settings', { auth: s.admin });
    await s.req('PUT', '/routing/settings', { auth: s.admin, body: { ...settings.body, defaultCapacity: 0 } });
  }, 180_000);
  afterAll(async () => {
    for (const so of sockets) so.disconnect();
    await s?.close();
  });

  const routing = async (id: string) => (await s.req('GET', `/conversations/${id}/routing`, { auth: s.admin })).body;

  async function visitor() {
    const v = await newVisitor(s.url, websiteToken);
    const socket = visitorSocket(s.url, websiteToken, v.visitorToken);
    sockets.push(socket);
    await connected(socket);
    const positions: Position[] = [];
    socket.on('queue:position', (p: Position) => positions.push(p));
    const start = async (body: string) => {
      const started = await call(socket, 'conversation:start', { clientId: `q-${body}`, body });
      await call(socket, 'room:join', { conversationId: started.conversationId, lastSeq: 0 });
      await waitFor(async () => (await routing(started.conversationId)).state === 'queued');
      return started.conversationId as string;
    };
    return { positions, start };
  }

  it('moves the visitor behind up when a duplicate ahead is merged, and again when the one ahead is snoozed', async () => {
    const a = await visitor();
    const a1 = await a.start('my order is late');
    const a2 = await a.start('order still late, hello?');
    const b = await visitor();
    const b1 = await b.start('password reset please');
    const last = () => b.positions.filter((p) => p.conversationId === b1).at(-1)?.position;
    await waitFor(() => last() === 3);

    const merged = await s.req('POST', `/conversations/${a1}/merge`, { auth: s.admin, body: { secondaryId: a2 } });
    expect(merged.status, merged.text).toBe(200);
    await s.settle();
    await waitFor(() => last() === 2);
    expect((await routing(b1)).queue.position).toBe(2);

    const snoozed = await s.req('POST', `/conversations/${a1}/snooze`, { auth: s.admin, body: { untilReply: true } });
    expect(snoozed.status, snoozed.text).toBe(200);
    await s.settle();
    await waitFor(() => last() === 1);
    expect((await routing(b1)).queue.position).toBe(1);
    // The visitor behind heard only its own room's positions.
    expect(b.positions.every((p) => p.conversationId === b1)).toBe(true);
  });
});
