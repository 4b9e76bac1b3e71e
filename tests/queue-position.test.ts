import type { RoomEvent } from '@autocrm/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentSocket, call, connected, newVisitor, type TestSocket, visitorSocket } from './helpers/sockets';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

type Position = { conversationId: string; position: number; estimatedWaitMinutes: number | null };

/** Queue transparency: after the bot hands off, a waiting visitor sees their place move up live. */
describe(`queue position in the widget (${BACKEND})`, () => {
  let s: TestServer;
  let websiteToken: string;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    s = await startTestServer({ bot: true });
    const inboxes = await s.req('GET', '/inboxes', { auth: s.admin });
    websiteToken = inboxes.body.data.find((i: { id: string }) => i.id === s.inboxId).websiteToken;
    // The admin joins the inbox and takes one conversation at a time.
    const member = await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [s.admin.userId] } });
    expect(member.status).toBe(200);
    const cap = await s.req('PATCH', `/routing/agents/${s.admin.userId}`, { auth: s.admin, body: { capacity: { max: 1 } } });
    expect(cap.status).toBe(200);
  });
  afterAll(async () => {
    for (const so of sockets) so.disconnect();
    await s?.close();
  });

  async function waitingVisitor(body: string) {
    const v = await newVisitor(s.url, websiteToken);
    const socket = visitorSocket(s.url, websiteToken, v.visitorToken);
    sockets.push(socket);
    await connected(socket);
    const positions: Position[] = [];
    const events: RoomEvent[] = [];
    socket.on('queue:position', (p) => positions.push(p));
    socket.on('message', (e) => events.push(e));
    const started = await call(socket, 'conversation:start', { clientId: `q-${body}`, body });
    await call(socket, 'room:join', { conversationId: started.conversationId, lastSeq: 0 });
    return { conversationId: started.conversationId as string, visitorToken: v.visitorToken as string, positions, events };
  }

  it('tells each visitor their position and moves the second up when the first is taken', async () => {
    const first = await waitingVisitor('I want to talk to a person, please');
    await waitFor(() => first.positions.at(-1)?.position === 1);
    const second = await waitingVisitor('Can I speak to a human agent?');
    await waitFor(() => second.positions.at(-1)?.position === 2);
    expect(second.positions.at(-1)).toMatchObject({ conversationId: second.conversationId });
    // Nobody from the inbox is online: no estimate rather than a made-up one.
    expect(first.positions.at(-1)?.estimatedWaitMinutes).toBeNull();

    const agent = agentSocket(s.url, s.admin);
    sockets.push(agent);
    await connected(agent);
    await waitFor(async () => (await s.req('GET', `/conversations/${first.conversationId}`, { auth: s.admin })).body.assigneeId);
    await waitFor(() => second.positions.at(-1)?.position === 1);
    // 2, then 1 (a position may be said twice, e.g. again when the room is rejoined; never out of order).
    const said = second.positions.map((p) => p.position).filter((p, i, all) => i === 0 || p !== all[i - 1]);
    expect(said).toEqual([2, 1]);
    const stillQueued = await s.req('GET', `/conversations/${second.conversationId}/routing`, { auth: s.admin });
    expect(stillQueued.body.state).toBe('queued');
    // The visitors' own positions only: nobody hears another room's.
    expect(first.positions.every((p) => p.conversationId === first.conversationId)).toBe(true);
  });
  it('tells a visitor who comes back while still waiting their place as they rejoin, and not once answered', async () => {
    const waiting = await waitingVisitor('Please connect me with a person');
    await waitFor(() => waiting.positions.length > 0);
    const rejoin = async (conversationId: string, visitorToken: string) => {
      // A reload: a new socket of the same visitor joins the room again.
      const socket = visitorSocket(s.url, websiteToken, visitorToken);
      sockets.push(socket);
      await connected(socket);
      const heard: Position[] = [];
      socket.on('queue:position', (p) => heard.push(p));
      await call(socket, 'room:join', { conversationId, lastSeq: 0 });
      // The notice is sent before the join's answer, on the same socket: it has arrived by now.
      return heard;
    };
    const heard = await rejoin(waiting.conversationId, waiting.visitorToken);
    const routing = await s.req('GET', `/conversations/${waiting.conversationId}/routing`, { auth: s.admin });
    expect(routing.body.state).toBe('queued');
    expect(heard).toEqual([{ conversationId: waiting.conversationId, ...routing.body.queue }]);

    // Once a person has answered in public, the wait is over: no notice, even while routing still queues it.
    const reply = await s.req('POST', `/conversations/${waiting.conversationId}/messages`, {
      auth: s.admin,
      body: { body: 'Hello, I am here.' },
    });
    expect(reply.status).toBe(201);
    expect(await rejoin(waiting.conversationId, waiting.visitorToken)).toEqual([]);
  });
});
