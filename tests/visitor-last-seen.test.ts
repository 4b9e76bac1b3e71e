import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../server/src/domain/auth/tokens';
import { connected, newVisitor, type TestSocket, visitorSocket, websiteTokenOf } from './helpers/sockets';
import { BACKEND, startTestServer, type TestServer } from './helpers/test-server';

// A widget's visit is recorded when it connects, at most once a minute: abandoned visitors are pruned,
// and announcement segments chosen, by days. A write on every connect cost a row lock that a visitor's
// tabs reconnecting together (after a deploy) queued for.
describe(`a visitor's last visit (${BACKEND})`, () => {
  let s: TestServer;
  let websiteToken: string;
  const sockets: TestSocket[] = [];
  beforeAll(async () => {
    s = await startTestServer();
    websiteToken = await websiteTokenOf(s);
  });
  afterAll(async () => {
    for (const so of sockets) so.disconnect();
    await s?.close();
  });

  it('is moved on by a connect after a minute, and left alone by the connects within it', async () => {
    const v = await newVisitor(s.url, websiteToken);
    const seen = async () =>
      (
        await s.deps.db
          .selectFrom('visitors')
          .select('last_seen_at')
          .where('token_hash', '=', hashToken(v.visitorToken))
          .executeTakeFirstOrThrow()
      ).last_seen_at.getTime();
    const connect = async () => {
      const socket = visitorSocket(s.url, websiteToken, v.visitorToken);
      sockets.push(socket);
      await connected(socket);
    };
    const longAgo = new Date(Date.now() - 5 * 60_000);
    await s.deps.db
      .updateTable('visitors')
      .set({ last_seen_at: longAgo })
      .where('token_hash', '=', hashToken(v.visitorToken))
      .execute();
    const before = Date.now();
    await connect();
    const first = await seen();
    expect(first).toBeGreaterThanOrEqual(before - 1000);
    // Two more tabs right after: the visit stands as recorded.
    await Promise.all([connect(), connect()]);
    expect(await seen()).toBe(first);
    // A token of another website is still refused, recent visit or not.
    const stranger = visitorSocket(s.url, 'not-this-website', v.visitorToken);
    sockets.push(stranger);
    await expect(connected(stranger)).rejects.toThrow();
  });
});
