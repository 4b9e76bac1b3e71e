import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeRoutingLock } from '../server/src/domain/routing/routing-lock';
import { BACKEND, startTestServer, type TestServer } from './helpers/test-server';

// A routing round locks queued conversations one by one, in queue order, under the routing lock. A merge
// (or bulk update) that locked the same rows in id order without that lock could deadlock with it, and
// Postgres would abort one side: the agent's merge failed with a 500 under load.
describe(`merge while routing holds the rows (${BACKEND})`, () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  }, 180_000);
  afterAll(async () => {
    await s?.close();
  });

  it('waits for the routing round instead of deadlocking with it', async () => {
    const create = async (subject: string) =>
      (
        await s.req('POST', '/conversations', {
          auth: s.admin,
          body: { inboxId: s.inboxId, contact: { email: 'same@example.com' }, subject },
        })
      ).body.id as string;
    const one = await create('first');
    const two = await create('second');
    await s.settle();
    const [low, high] = [one, two].sort() as [string, string];
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    let merge: Promise<{ status: number }> | undefined;
    // The "routing round": its lock, then the higher id first, then (once the merge is under way) the lower.
    const round = s.deps.db.transaction().execute(async (trx) => {
      await takeRoutingLock(trx);
      await trx.selectFrom('conversations').select('id').where('id', '=', high).forUpdate().execute();
      merge = s.req('POST', `/conversations/${high}/merge`, { auth: s.admin, body: { secondaryId: low } });
      await new Promise((r) => setTimeout(r, 500));
      await trx.selectFrom('conversations').select('id').where('id', '=', low).forUpdate().execute();
      release();
    });
    await released;
    await round;
    const res = await merge!;
    expect(res.status).toBe(200);
  });
});
