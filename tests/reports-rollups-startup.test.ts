import { Writable } from 'node:stream';
import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureReportRollups, ROLLUP_VERSION, rollupsReady } from '../server/src/domain/reports/rollups';
import { freshPostgresDatabase, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Report rollups are rebuilt after the server listens (an upgrade's rebuild of 100k conversations took
// minutes), and the decision to rebuild is taken under a lock: of two processes starting at once on
// rollups of an older version, exactly one rebuilds.

const OLD_STATE = JSON.stringify({ version: 1 });

/** A logger whose lines are kept, to count the rebuilds a server logs. */
function capturingLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return {
    logger: pino({ level: 'info' }, sink),
    rebuilds: () => lines.filter((l) => l.includes('report rollups built')).length,
  };
}

const newConversation = (s: TestServer, n: string) =>
  s.req('POST', '/conversations', {
    auth: s.admin,
    body: { inboxId: s.inboxId, subject: n, contact: { name: n, email: `${n}@customer.example` }, message: { body: 'Hello' } },
  });

describe('report rollups rebuild (any backend)', () => {
  let s: TestServer | undefined;
  afterAll(async () => {
    await s?.close();
  });

  it('rebuilds rollups of an older version once, and reports read the raw tables until then', async () => {
    s = await startTestServer();
    const db = s.deps.db;
    expect((await newConversation(s, 'pg1')).status).toBe(201);
    await s.settle();
    await waitFor(() => rollupsReady(db));
    await db.updateTable('settings').set({ value: OLD_STATE }).where('key', '=', 'reports.rollups').execute();
    await db.deleteFrom('report_facts').execute();
    // A fresh process (no memo of a ready state) sees the old version and would read the raw tables.
    expect(await ensureReportRollups(db)).toBe(true);
    expect(await ensureReportRollups(db)).toBe(false);
    const facts = await db.selectFrom('report_facts').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    expect(facts.n).toBe(1);
  });
});

describe.skipIf(!process.env.DATABASE_URL)('report rollups rebuild on start-up (two processes on Postgres)', () => {
  const servers: TestServer[] = [];
  let drop: (() => Promise<void>) | undefined;
  let holder: pg.Client | undefined;
  afterAll(async () => {
    await holder?.end().catch(() => {});
    for (const s of servers) await s.close();
    await drop?.();
  });

  it('answers /healthz before the rebuild ends, and two processes starting at once rebuild once', async () => {
    const fresh = await freshPostgresDatabase(process.env.DATABASE_URL as string);
    drop = fresh.drop;
    // A workspace with conversations and rollups of an older version (as after an upgrade).
    const first = await startTestServer({ databaseUrl: fresh.url });
    for (const n of ['r1', 'r2', 'r3']) expect((await newConversation(first, n)).status).toBe(201);
    await first.settle();
    await first.close();
    holder = new pg.Client({ connectionString: fresh.url });
    await holder.connect();
    await holder.query(`update settings set value = $1 where key = 'reports.rollups'`, [OLD_STATE]);
    await holder.query('delete from report_facts');
    // Hold the rollup tables: whichever process rebuilds waits here, so the rebuild cannot end before we say.
    await holder.query('begin');
    await holder.query('lock table report_facts in access exclusive mode');

    const logs = [capturingLogger(), capturingLogger()];
    servers.push(...(await Promise.all(logs.map((l) => startTestServer({ databaseUrl: fresh.url, logger: l.logger })))));
    for (const s of servers) {
      expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
      // Reports answer meanwhile, from the raw tables.
      const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
      const overview = await s.req('GET', `/reports/overview?from=${day(-1)}&to=${day(1)}&timeZone=UTC`, { auth: s.admin });
      expect(overview.status).toBe(200);
      expect(overview.body.current.created).toBeGreaterThanOrEqual(3);
    }
    const state = async () => {
      const c = new pg.Client({ connectionString: fresh.url });
      await c.connect();
      try {
        return (await c.query(`select value->>'version' as v from settings where key = 'reports.rollups'`)).rows[0]?.v;
      } finally {
        await c.end();
      }
    };
    // Events keep being dispatched meanwhile (the listener notes the room instead of waiting for the lock).
    expect((await newConversation(servers[0]!, 'r4')).status).toBe(201);
    await servers[0]!.settle();
    expect(await state()).toBe('1');
    expect(logs.map((l) => l.rebuilds())).toEqual([0, 0]);

    await holder.query('commit');
    await waitFor(async () => (await state()) === String(ROLLUP_VERSION), { timeoutMs: 30_000 });
    // Both have finished their start-up job (the second found the rollups built under the lock).
    await waitFor(async () => (await Promise.all(servers.map((s) => rollupsReady(s.deps.db)))).every(Boolean), {
      timeoutMs: 30_000,
    });
    expect(logs.reduce((n, l) => n + l.rebuilds(), 0)).toBe(1);
    const facts = await servers[0]!.deps.db
      .selectFrom('report_facts')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    // The one created during the rebuild is counted too (refreshed after it from the noted rooms).
    expect(facts.n).toBe(4);
  });
});
