import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomJoin } from '../server/src/domain/rooms/join-state';
import { call, connected, newVisitor, type TestSocket, visitorSocket, websiteTokenOf } from './helpers/sockets';
import { StatementLog } from './helpers/statement-log';
import { BACKEND, startTestServer, type TestServer } from './helpers/test-server';

const log = new StatementLog().install();

// Every reconnect of every widget tab joins its room again (a deploy drops thousands at once): the
// replay of what it missed and the room's state (last seq, read cursors, queued or not) come from one
// statement, read from one snapshot.
describe(`joining a room again (${BACKEND})`, () => {
  let s: TestServer;
  const sockets: TestSocket[] = [];
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    for (const so of sockets) so.disconnect();
    await s?.close();
    log.uninstall();
  });

  it('answers the replay and the room state in one statement, with or without anything missed', async () => {
    const websiteToken = await websiteTokenOf(s);
    const v = await newVisitor(s.url, websiteToken);
    const first = visitorSocket(s.url, websiteToken, v.visitorToken);
    sockets.push(first);
    await connected(first);
    const started = await call(first, 'conversation:start', { clientId: 'join-1', body: 'Where do I change my plan?' });
    expect(started.ok).toBe(true);
    const { conversationId } = started;
    const sent = await call(first, 'message:send', { conversationId, clientId: 'join-2', body: 'And the invoice address?' });
    expect(sent.ok).toBe(true);
    const agentNote = await s.req('POST', `/conversations/${conversationId}/messages`, {
      auth: s.admin,
      body: { body: 'internal: check the plan', private: true },
    });
    expect(agentNote.status).toBe(201);

    // A reload: a new socket of the same visitor.
    const again = visitorSocket(s.url, websiteToken, v.visitorToken);
    sockets.push(again);
    await connected(again);
    let joined: any;
    const statements = await log.during(async () => {
      joined = await call(again, 'room:join', { conversationId, lastSeq: 0 });
    });
    expect(joined.ok).toBe(true);
    // Both of the visitor's messages, in order, without the internal note; resumes at the note's seq.
    expect(joined.events.map((e: { message: { bodyText: string } }) => e.message.bodyText)).toEqual([
      'Where do I change my plan?',
      'And the invoice address?',
    ]);
    expect(joined.events.map((e: { eventSeq: number }) => e.eventSeq)).toEqual([1, 2]);
    expect(joined.hasMore).toBe(false);
    expect(joined.lastSeq).toBe(3);
    expect(Array.isArray(joined.readCursors)).toBe(true);
    // (the room is queued, so the waiting notice's own lookups follow: they are not the join's)
    const replays = statements.filter((q) => /event_seq/.test(q));
    expect(replays).toHaveLength(1);
    expect(replays[0]).toMatch(/last_seq/);
    expect(replays[0]).toMatch(/conversation_routing/);

    // Nothing missed: no events, the same last seq.
    const upToDate = await call(again, 'room:join', { conversationId, lastSeq: 3 });
    expect(upToDate).toMatchObject({ ok: true, events: [], hasMore: false, lastSeq: 3 });
    // A page smaller than what was missed says there is more (the client goes on with room:sync).
    const paged = await roomJoin(s.deps.db, { conversationId, afterSeq: 0, limit: 1, includePrivate: true });
    expect(paged.events.map((e) => e.eventSeq)).toEqual([1]);
    expect(paged.hasMore).toBe(true);
    const agentView = await roomJoin(s.deps.db, { conversationId, afterSeq: 1, limit: 5, includePrivate: true });
    expect(agentView.events.map((e) => [e.eventSeq, e.message.private])).toEqual([
      [2, false],
      [3, true],
    ]);
    expect(agentView).toMatchObject({ hasMore: false, lastSeq: 3, queued: true });
  });
});
