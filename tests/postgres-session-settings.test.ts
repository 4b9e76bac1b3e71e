import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../server/src/storage/db';

const baseUrl = process.env.DATABASE_URL;

// What every pooled Postgres connection is opened with. JIT off: with PostgreSQL's default `jit = on`
// the knowledge-base search spent 2 s compiling a 60 ms statement at 100,000 articles.
describe.skipIf(!baseUrl)('the Postgres session settings of every pooled connection (needs Postgres)', () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openDatabase({ databaseUrl: baseUrl, poolSize: 2, timeouts: { statementMs: 12_345 } });
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('runs without JIT and with the statement and idle-transaction limits, on each connection', async () => {
    // Two connections at once, so both of the pool's connections are asked.
    const read = () =>
      handle.db.transaction().execute(async (trx) => {
        const r = await sql<{ jit: string; statement_timeout: string }>`
          SELECT current_setting('jit') AS jit, current_setting('statement_timeout') AS statement_timeout`.execute(trx);
        await sql`SELECT pg_sleep(0.05)`.execute(trx);
        return r.rows[0];
      });
    const settings = await Promise.all([read(), read()]);
    for (const s of settings) expect(s).toEqual({ jit: 'off', statement_timeout: '12345ms' });
  });
});
