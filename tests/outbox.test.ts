import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DomainEvent } from '@autocrm/shared';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { OutboxRelay } from '../server/src/events/relay';
import { startServer } from '../server/src/server';
import { openDatabase } from '../server/src/storage/db';
import { ADMIN, BACKEND, freshPostgresDatabase, startTestServer, waitFor } from './helpers/test-server';

const silent = pino({ level: 'silent' });

describe(`transactional outbox (${BACKEND})`, () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('dispatches each event exactly once when several relays compete', async () => {
    const s = await startTestServer();
    cleanups.push(() => s.close());
    await s.deps.relay.stop(); // leave the events in the outbox for the competing relays below
    const key = await s.apiKey(['conversations:write']);
    for (let i = 0; i < 30; i++) {
      const res = await s.req('POST', '/conversations', {
        auth: key,
        body: { inboxId: s.inboxId, subject: `c${i}`, message: { body: `hi ${i}` } },
      });
      expect(res.status).toBe(201);
    }
    const pending = await s.deps.db.selectFrom('outbox').select('id').where('dispatched_at', 'is', null).execute();
    // conversation.created + message.created + contact.created per conversation
    expect(pending.length).toBeGreaterThanOrEqual(90);

    // On Postgres each relay gets its own connection pool, as separate processes would.
    const handles = process.env.DATABASE_URL
      ? await Promise.all([0, 1, 2].map(() => openDatabase({ databaseUrl: s.deps.config.DATABASE_URL, poolSize: 3 })))
      : [];
    cleanups.push(async () => {
      for (const h of handles) await h.close();
    });
    const dbs = handles.length ? handles.map((h) => h.db) : [s.deps.db, s.deps.db, s.deps.db];
    const seen: number[] = [];
    const relays = dbs.map((db) =>
      new OutboxRelay(db, { pollMs: 1000, batchSize: 7, logger: silent }).register({
        name: 'count',
        events: '*',
        inTransaction: async (e: DomainEvent) => {
          seen.push(e.id);
        },
      }),
    );
    await Promise.all(relays.map((r) => r.drain()));
    expect(seen.length).toBe(pending.length);
    expect(new Set(seen).size).toBe(seen.length);
    const left = await s.deps.db.selectFrom('outbox').select('id').where('dispatched_at', 'is', null).execute();
    expect(left).toHaveLength(0);
  });

  it('loses no event when the process dies between commit and dispatch', async () => {
    let databaseUrl: string | undefined;
    let dataDir: string | undefined;
    if (process.env.DATABASE_URL) {
      const fresh = await freshPostgresDatabase(process.env.DATABASE_URL);
      databaseUrl = fresh.url;
      cleanups.push(fresh.drop);
    } else {
      dataDir = mkdtempSync(path.join(tmpdir(), 'autocrm-outbox-'));
      cleanups.push(() => rmSync(dataDir as string, { recursive: true, force: true }));
    }
    const env = {
      PORT: '0',
      HOST: '127.0.0.1',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'silent',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      WEBHOOK_ALLOW_PRIVATE: 'loopback',
      OUTBOX_POLL_MS: '50',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    };
    const first = await startServer({ env, ...(dataDir ? { dataDir } : {}) });
    await first.deps.relay.stop(); // the "crash": nothing gets dispatched by this process
    const { db } = first.deps;
    const inbox = await db
      .insertInto('inboxes')
      .values({ name: 'x', channel: 'api', website_token: null, settings: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { createConversation } = await import('../server/src/domain/conversations/create-conversation');
    const conv = await createConversation(db, { actor: { kind: 'system' }, input: { inboxId: inbox.id, subject: 'survives' } });
    const undispatched = await db.selectFrom('outbox').select(['id', 'type']).where('dispatched_at', 'is', null).execute();
    expect(undispatched.map((e) => e.type)).toContain('conversation.created');
    await first.close();

    const seen: DomainEvent[] = [];
    const second = await startServer({ env, ...(dataDir ? { dataDir } : {}) });
    cleanups.push(() => second.close());
    second.deps.relay.register({ name: 'probe', events: ['conversation.created'], afterCommit: (e) => void seen.push(e) });
    await waitFor(() => seen.some((e) => (e.data as { conversation: { id: string } }).conversation.id === conv.id));
    // Everything goes out in the end, including what the listeners wrote while dispatching the old events
    // (those are in the outbox for the next round when the probe sees the first one).
    await waitFor(
      async () =>
        (await second.deps.db.selectFrom('outbox').select('id').where('dispatched_at', 'is', null).execute()).length === 0,
    );
  });
});
