import type { DomainEvent } from '@autocrm/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../db/migrate';
import { bootstrapWorkspace } from '../server/src/bootstrap';
import { SYSTEM } from '../server/src/domain/actor';
import { queueBotTurnFor } from '../server/src/domain/bot/queue-bot-turn';
import { openConversationInTransaction } from '../server/src/domain/conversations/create-conversation';
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

describe(`the bot is woken by a turn stored, not by one already queued (${BACKEND})`, () => {
  let handle: DatabaseHandle;
  let drop: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await handle?.close();
    await drop?.();
  });

  it('wakes once for the turn its message queued, and not for the repeat that stored nothing', async () => {
    let databaseUrl: string | undefined;
    if (process.env.DATABASE_URL) ({ url: databaseUrl, drop } = await freshPostgresDatabase(process.env.DATABASE_URL));
    handle = await openDatabase({ databaseUrl, dataDir: 'memory://' });
    await migrateToLatest(handle.db);
    await bootstrapWorkspace(handle.db);
    let wakes = 0;
    handle.onBotTurnsCommitted(() => wakes++);
    const inbox = await handle.db
      .insertInto('inboxes')
      .values({ name: 'web', channel: 'web', website_token: 'wt-commit-watch', settings: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const contact = await handle.db
      .insertInto('contacts')
      .values({ name: 'Vi', attributes: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { message, conversation } = await handle.db.transaction().execute((trx) =>
      openConversationInTransaction(trx, {
        actor: SYSTEM,
        owner: 'bot',
        input: { inboxId: inbox.id, contactId: contact.id, message: { body: 'how do I reset my password?', from: 'contact' } },
      }),
    );
    expect(wakes).toBe(1);
    const turn = { conversationId: conversation.id, messageId: message?.id as string };
    // The relay's listener queues the same turn again for a message written elsewhere: a no-op here.
    await queueBotTurnFor(handle.db, turn);
    await handle.db.transaction().execute((trx) => queueBotTurnFor(trx, turn));
    expect(wakes).toBe(1);
    const turns = await handle.db.selectFrom('bot_turns').select('id').where('message_id', '=', turn.messageId).execute();
    expect(turns).toHaveLength(1);
  }, 60_000);
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
