import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroupCommit } from '../server/src/domain/messages/group-commit';
import { BACKEND, startTestServer, type TestServer } from './helpers/test-server';

let s: TestServer;
const rooms: string[] = [];

beforeAll(async () => {
  s = await startTestServer();
  const key = await s.apiKey(['conversations:write']);
  for (let i = 0; i < 2; i++) {
    const res = await s.req('POST', '/conversations', {
      auth: key,
      body: { inboxId: s.inboxId, contact: { name: `Group ${i}` } },
    });
    rooms.push(res.body.id);
  }
  await s.settle();
});
afterAll(async () => {
  await s?.close();
});

const seqsOf = async (conversationId: string) =>
  await s.deps.db
    .selectFrom('messages')
    .select(['seq', 'body_text'])
    .where('conversation_id', '=', conversationId)
    .orderBy('seq')
    .execute();

describe(`group commit of the message path (${BACKEND})`, () => {
  it('sends arriving together share transactions, each stored once with its own seq in arrival order', async () => {
    const commits: number[] = [];
    const sends = new GroupCommit(s.deps.db, {
      maxInFlight: 1,
      maxGroup: 64,
      onCommitted: (events) => void commits.push(events.length),
    });
    const n = 30;
    const props = Array.from({ length: n }, (_, i) => ({
      conversationId: rooms[i % 2] as string,
      authorKind: 'contact' as const,
      authorId: null,
      body: `m${i}`,
      clientId: randomUUID(),
    }));
    const results = await Promise.all(props.map((p) => sends.send(p)));
    // The first send goes alone (the path was idle); the others waited for it and went together.
    expect(commits).toEqual([1, n - 1]);
    for (const room of rooms) {
      const mine = results.filter((r) => r.message.conversationId === room);
      const seqs = mine.map((r) => r.message.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
      const stored = await seqsOf(room);
      // In the room, the order they were sent in.
      expect(stored.map((m) => m.body_text)).toEqual(props.filter((p) => p.conversationId === room).map((p) => p.body));
    }
    expect(results.every((r) => !r.duplicate && r.event?.type === 'message.created')).toBe(true);
  });

  it('a send that fails inside a group fails alone: the others are stored, once', async () => {
    const sends = new GroupCommit(s.deps.db, { maxInFlight: 1, maxGroup: 64 });
    const before = (await seqsOf(rooms[0] as string)).length;
    const clientId = randomUUID();
    const good = (body: string, id = randomUUID()) => ({
      conversationId: rooms[0] as string,
      authorKind: 'contact' as const,
      authorId: null,
      body,
      clientId: id,
    });
    const outcomes = await Promise.allSettled([
      sends.send(good('warm-up')),
      sends.send(good('first')),
      sends.send({ ...good('lost'), conversationId: randomUUID() }),
      sends.send(good('second', clientId)),
      // A resend of the same client id in the same group: the message stored by its first attempt.
      sends.send(good('second', clientId)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toMatchObject({ code: 'not_found' });
    const [, , , second, resend] = outcomes as PromiseFulfilledResult<Awaited<ReturnType<GroupCommit['send']>>>[];
    expect(resend?.value.duplicate).toBe(true);
    expect(resend?.value.message.seq).toBe(second?.value.message.seq);
    const stored = await seqsOf(rooms[0] as string);
    expect(stored.slice(before).map((m) => m.body_text)).toEqual(['warm-up', 'first', 'second']);
  });
});
