import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentSocket, connected, type TestSocket } from './helpers/sockets';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Issue 17: a visitor was told "number 3 in line (about 20 min)" with an agent online. Positions and
// estimates count only conversations that really wait for a person (not snoozed, taken, merged ...).
describe(`queue position counts who really waits (${BACKEND})`, () => {
  let s: TestServer;
  let agent: TestSocket;

  beforeAll(async () => {
    s = await startTestServer();
    await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [s.admin.userId] } });
    // One agent online, but with no free seat: everything waits in the queue.
    const settings = await s.req('GET', '/routing/settings', { auth: s.admin });
    await s.req('PUT', '/routing/settings', {
      auth: s.admin,
      body: { ...settings.body, defaultCapacity: 0, defaultHandleMinutes: 10 },
    });
    agent = agentSocket(s.url, s.admin);
    await connected(agent);
  }, 180_000);
  afterAll(async () => {
    agent?.disconnect();
    await s?.close();
  });

  const routing = async (id: string) => (await s.req('GET', `/conversations/${id}/routing`, { auth: s.admin })).body;

  it('drops a snoozed conversation from the count ahead, the estimate follows, and it counts again once woken', async () => {
    const ids: string[] = [];
    for (const subject of ['first', 'second', 'third']) {
      const res = await s.req('POST', '/conversations', {
        auth: s.admin,
        body: { inboxId: s.inboxId, contact: {}, subject, message: { body: `${subject} question` } },
      });
      ids.push(res.body.id);
      await waitFor(async () => (await routing(res.body.id)).state === 'queued');
    }
    const [first, second, third] = ids as [string, string, string];
    expect((await routing(third)).queue).toEqual({ position: 3, estimatedWaitMinutes: 30 });

    // The first is snoozed (out of the queues until the customer replies): nobody works on it now.
    expect((await s.req('POST', `/conversations/${first}/snooze`, { auth: s.admin, body: { untilReply: true } })).status).toBe(
      200,
    );
    expect((await routing(third)).queue).toEqual({ position: 2, estimatedWaitMinutes: 20 });
    const list = await s.req('GET', '/routing/queue', { auth: s.admin });
    const entries = list.body.data as { conversationId: string; position: number }[];
    expect(entries.map((e) => [e.conversationId, e.position])).toEqual([
      [second, 1],
      [third, 2],
    ]);

    // Woken, it waits again where it was.
    expect((await s.req('DELETE', `/conversations/${first}/snooze`, { auth: s.admin })).status).toBe(200);
    expect((await routing(third)).queue).toEqual({ position: 3, estimatedWaitMinutes: 30 });
  });
});
