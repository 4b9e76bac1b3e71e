import type { DomainEvent } from '@autocrm/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../db/migrate';
import { emit } from '../server/src/events/outbox';
import { type DatabaseHandle, openDatabase } from '../server/src/storage/db';
import { BACKEND, freshPostgresDatabase, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Issue 12: no transport pokes the relay by hand any more; the database does, once, right after a
// transaction that wrote events commits. These tests fail if the poke goes missing, comes before the
// commit, comes twice, or comes for a transaction that rolled back.

const payload = { conversationId: '00000000-0000-4000-8000-000000000001', policyId: 'p', target: 'resolution' } as const;
const slaEvent = { ...payload, dueAt: new Date().toISOString(), assigneeId: null, teamId: null };

describe(`the relay is poked after commit (${BACKEND})`, () => {
  let handle: DatabaseHandle;
  let drop: (() => Promise<void>) | undefined;
  /** What each notification saw: how many events another connection could read at that moment. */
  let seen: Promise<number>[] = [];

  const committedEvents = async () =>
    Number(
      (await sql<{ n: number }>`select count(*)::int as n from outbox where type = 'sla.warning'`.execute(handle.db)).rows[0]?.n,
    );

  beforeAll(async () => {
    let databaseUrl: string | undefined;
    if (process.env.DATABASE_URL) {
      const fresh = await freshPostgresDatabase(process.env.DATABASE_URL);
      databaseUrl = fresh.url;
      drop = fresh.drop;
    }
    handle = await openDatabase({ databaseUrl, dataDir: 'memory://' });
    await migrateToLatest(handle.db);
    // On PGlite the one connection is free again only once the transaction has handed it back, so the
    // count runs after the commit there by construction; on Postgres it runs on another pooled connection.
    handle.onEventsCommitted(() => void seen.push(committedEvents()));
  }, 60_000);

  afterAll(async () => {
    await handle?.close();
    await drop?.();
  });

  it('once per transaction, after its commit, however many events it wrote', async () => {
    seen = [];
    const before = await committedEvents();
    let insideCount = -1;
    await handle.db.transaction().execute(async (trx) => {
      await emit(trx, 'sla.warning', slaEvent);
      await emit(trx, 'sla.warning', slaEvent);
      insideCount = seen.length;
    });
    expect(insideCount).toBe(0); // nothing before the commit
    expect(seen).toHaveLength(1); // one poke for the whole transaction
    expect(await seen[0]).toBe(before + 2); // and at that moment both events were visible to others
  });

  it('never for a transaction that rolled back, nor for one that wrote no event', async () => {
    seen = [];
    const before = await committedEvents();
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await emit(trx, 'sla.warning', slaEvent);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await handle.db.transaction().execute(async (trx) => {
      await trx.selectFrom('outbox').select('id').limit(1).execute();
    });
    expect(seen).toHaveLength(0);
    expect(await committedEvents()).toBe(before);
  });

  it('right after an event written outside a transaction', async () => {
    seen = [];
    const before = await committedEvents();
    await emit(handle.db, 'sla.warning', slaEvent);
    expect(seen).toHaveLength(1);
    expect(await seen[0]).toBe(before + 1);
  });
});

describe(`a write through the API is dispatched at once with no poke in the route (${BACKEND})`, () => {
  let s: TestServer;
  afterAll(async () => {
    await s?.close();
  });

  it('dispatches a new conversation long before the relay would poll', async () => {
    // The relay polls once a minute here: only the after-commit poke can deliver within the wait below.
    s = await startTestServer({ env: { OUTBOX_POLL_MS: '60000' } });
    await s.deps.relay.settle();
    const created: string[] = [];
    s.deps.relay.register({
      name: 'probe',
      events: ['conversation.created'],
      afterCommit: (e) => void created.push((e as DomainEvent<'conversation.created'>).data.conversation.id),
    });
    let pokes = 0;
    const poke = s.deps.relay.poke.bind(s.deps.relay);
    s.deps.relay.poke = () => {
      pokes++;
      poke();
    };
    const key = await s.apiKey(['conversations:write']);
    pokes = 0;
    const res = await s.req('POST', '/conversations', {
      auth: key,
      body: { inboxId: s.inboxId, subject: 'prompt', message: { body: 'hello' } },
    });
    expect(res.status).toBe(201);
    expect(pokes).toBeGreaterThanOrEqual(1);
    await waitFor(() => created.includes(res.body.id), { timeoutMs: 20_000 });
  }, 120_000);
});
