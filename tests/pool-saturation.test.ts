import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../server/src/storage/db';
import { freshPostgresDatabase } from './helpers/test-server';

const baseUrl = process.env.DATABASE_URL;

// A reconnect storm queues thousands of queries behind a pool of ten connections. A wait for a
// connection that times out then is "busy", not "the database is down": marking it down failed every
// request of the process until a probe got through, and 2,000 of 10,000 rejoining sockets were refused.
describe.skipIf(!baseUrl)('a saturated connection pool (needs Postgres)', () => {
  let fresh: Awaited<ReturnType<typeof freshPostgresDatabase>>;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    fresh = await freshPostgresDatabase(baseUrl as string);
    // Long enough that a loaded machine still opens connections (and the heartbeat's) in time.
    handle = await openDatabase({ databaseUrl: fresh.url, poolSize: 1, timeouts: { connectMs: 3000 } });
  }, 60_000);
  afterAll(async () => {
    await handle?.close();
    await fresh?.drop();
  });

  it('answers busy to a query that waited too long, stays up, and serves the next one at once', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let taken!: () => void;
    const isTaken = new Promise<void>((r) => {
      taken = r;
    });
    // The only connection, held by a transaction.
    const holder = handle.db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      taken();
      await held;
    });
    await isTaken;
    const waited = await sql`select 1`.execute(handle.db).then(
      () => null,
      (err: { code?: string; message?: string }) => err,
    );
    expect(waited?.code).toBe('unavailable');
    expect(waited?.message).toMatch(/busy/);
    expect(handle.status()).toBe('up');
    release();
    await holder;
    const { rows } = await sql<{ ok: number }>`select 1 as ok`.execute(handle.db);
    expect(rows[0]?.ok).toBe(1);
    expect(handle.status()).toBe('up');
  });
});
