import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { INTERNAL_EVENT_TYPES } from '@autocrm/shared';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FakeOpenAI, startFakeOpenAI } from './helpers/fake-openai';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Issue 12: no route wakes a background loop by hand any more. A command that changes what a loop
// works on emits an internal event in its transaction (shared/src/schemas/internal-events.ts), and a
// listener (server/src/listeners/) wakes the loop once it commits. Every loop here polls once a minute
// or slower, so each test fails if the event or its listener goes missing. Internal events are never
// delivered to webhooks, not even to a `*` subscription.

describe(`commands wake the loops through internal events (${BACKEND})`, () => {
  let s: TestServer;
  let llm: FakeOpenAI;
  let receiver: Server;
  let receiverUrl: string;
  const received: string[] = [];

  beforeAll(async () => {
    llm = await startFakeOpenAI();
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push(JSON.parse(body).type);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    // The relay is woken by the commit watch; every other loop (webhooks, routing, account mails, KB
    // embeddings) would wait a minute or more for its own round.
    s = await startTestServer({ env: { OPENAI_BASE_URL: llm.url, OUTBOX_POLL_MS: '60000' } });
  }, 60_000);

  afterAll(async () => {
    await s?.close();
    await llm?.close();
    receiver?.closeAllConnections();
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  });

  it('a routing change routes the queue again', async () => {
    const backfill = vi.spyOn(s.deps.routing, 'requestBackfill');
    const current = await s.req('GET', '/routing/settings', { auth: s.admin });
    const res = await s.req('PUT', '/routing/settings', { auth: s.admin, body: current.body });
    expect(res.status, res.text).toBe(200);
    await waitFor(() => backfill.mock.calls.length > 0);
    backfill.mockRestore();
  });

  it('an invitation wakes the account-mail sender', async () => {
    const poke = vi.spyOn(s.deps.workers.accountMails, 'poke');
    const res = await s.req('POST', '/invitations', { auth: s.admin, body: { email: 'woken@example.com', role: 'agent' } });
    expect(res.status, res.text).toBe(201);
    await waitFor(() => poke.mock.calls.length > 0);
    poke.mockRestore();
  });

  it('a saved article is embedded now, not at the indexer’s five-minute round', async () => {
    // Postgres without pgvector has no embeddings and so no indexer; the event is written all the same.
    const indexer = s.deps.workers.kbEmbeddings;
    if (BACKEND === 'pglite') expect(indexer).toBeDefined();
    const poke = indexer ? vi.spyOn(indexer, 'poke') : undefined;
    const res = await s.req('POST', '/kb/articles', {
      auth: s.admin,
      body: { slug: 'woken', locale: 'en', title: 'Wake the indexer', body: 'An article.', status: 'published' },
    });
    expect(res.status, res.text).toBe(201);
    await waitFor(async () =>
      Boolean(
        await s.deps.db
          .selectFrom('outbox')
          .select('id')
          .where('type', '=', 'kb.article_changed')
          .where('dispatched_at', 'is not', null)
          .executeTakeFirst(),
      ),
    );
    if (poke) await waitFor(() => poke.mock.calls.length > 0);
    if (s.deps.kb.caps.vector)
      await waitFor(async () => (await s.deps.db.selectFrom('kb_embeddings').select('translation_id').execute()).length > 0);
    poke?.mockRestore();
  });

  it('a test ping goes out at once, and a `*` subscriber never gets an internal event', async () => {
    const hook = await s.req('POST', '/webhooks', { auth: s.admin, body: { url: receiverUrl, events: ['*'] } });
    expect(hook.status, hook.text).toBe(201);
    const ping = await s.req('POST', `/webhooks/${hook.body.id}/test`, { auth: s.admin });
    expect(ping.status, ping.text).toBe(202);
    await waitFor(() => received.includes('webhook.test'));
    // More internal events after the subscription exists: none of them becomes a delivery.
    await s.req('PUT', '/routing/settings', {
      auth: s.admin,
      body: (await s.req('GET', '/routing/settings', { auth: s.admin })).body,
    });
    await s.req('POST', '/invitations', { auth: s.admin, body: { email: 'woken2@example.com', role: 'agent' } });
    await s.settle();
    const internal = await s.deps.db
      .selectFrom('outbox')
      .select('type')
      .where('type', 'in', [...INTERNAL_EVENT_TYPES])
      .execute();
    expect(new Set(internal.map((e) => e.type))).toEqual(
      // cache.stale: the routing settings change also tells every process to drop its cached copy.
      new Set([
        'routing.settings_changed',
        'account.mail_queued',
        'kb.article_changed',
        'webhook.delivery_queued',
        'cache.stale',
      ]),
    );
    const deliveries = await s.deps.db.selectFrom('webhook_deliveries').select('event_type').execute();
    expect(deliveries.map((d) => d.event_type)).not.toContain('routing.settings_changed');
    expect(deliveries.filter((d) => (INTERNAL_EVENT_TYPES as string[]).includes(d.event_type))).toEqual([]);
    expect(received.filter((t) => (INTERNAL_EVENT_TYPES as string[]).includes(t))).toEqual([]);
  });
});
