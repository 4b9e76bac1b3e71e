import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cached, configCacheOf } from '../server/src/storage/cache/config-cache';
import { startTestServer, type TestServer } from './helpers/test-server';

// A config value loaded through the pool must never be what a transaction waits for: that load may need
// the very connection (PGlite has one) or row the transaction holds, and then neither finishes. This is how
// the demo workspace hung at sign-in once routing began reading cached rules inside its batch transaction.

describe('config cache inside a transaction', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('a transaction does not wait for a load in flight outside it', async () => {
    const db = s.deps.db;
    const within = (p: Promise<unknown>, ms: number) =>
      Promise.race([p, new Promise((_, reject) => setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms))]);
    let outside: Promise<unknown> | undefined;
    await within(
      db.transaction().execute(async (trx) => {
        // The transaction holds a row; a load outside it that needs the same row (or connection) waits.
        await trx.selectFrom('statuses').select('id').orderBy('id').limit(1).forUpdate().execute();
        configCacheOf(db)!.drop(['calendars']);
        outside = cached(db, 'calendars', async () => {
          await db.selectFrom('statuses').select('id').orderBy('id').limit(1).forUpdate().execute();
          return 'loaded outside';
        });
        expect(await cached(trx, 'calendars', async () => 'loaded inside')).toBe('loaded inside');
      }),
      15_000,
    );
    // Once the transaction ended, the outside load finishes, and later readers are answered from the cache.
    expect(await outside).toBe('loaded outside');
    expect(await cached(db, 'calendars', async () => 'read again')).not.toBe('read again');
  });
});
