import { api, login } from '../lib/api-client';
import { ADMIN, startAutocrm } from '../lib/autocrm-process';
import { runLoad } from '../lib/processes';
import { type Row, ratio, round1 } from '../lib/rows';
import { quick } from '../lib/run-options';
import { seedBigInbox } from '../lib/seed-inbox';

export async function inboxAtScale(): Promise<Row[]> {
  const conversations = quick ? 5000 : 100_000;
  const small = 1000;
  // 20 a page: page 50 is the small inbox's last, so both inboxes have the same deep page.
  const limit = 20;
  const depth = 50;
  let inboxes: { big: string; small: string } | undefined;
  const started = Date.now();
  const server = await startAutocrm({
    prepare: async (db) => {
      inboxes = await seedBigInbox(db, { conversations, small });
    },
  });
  const seedSeconds = round1((Date.now() - started) / 1000);
  console.error(`   ${conversations + small} conversations, ${(conversations + small) * 10} messages in ${seedSeconds} s`);
  try {
    const admin = await login(server.url, ADMIN.email, ADMIN.password);
    const key = await api(server.url, admin, 'POST', '/api-keys', { name: 'inbox', scopes: ['conversations:read'] });
    const sorts = [
      { sort: 'last_activity_at', order: 'desc' },
      { sort: 'created_at', order: 'desc' },
      { sort: 'priority', order: 'desc' },
      { sort: 'waiting_since', order: 'asc' },
    ] as const;
    type P = { p50: number; p95: number; rows: number };
    const results = await runLoad<{ inbox: string; sort: string; first: P; deep: P & { page: number } }[]>(
      'bench/load/inbox-list.ts',
      { url: server.url, apiKey: key.key, inboxes, sorts, limit, depth, samples: quick ? 10 : 40 },
    );
    const rows: Row[] = [];
    for (const { sort, order } of sorts) {
      const big = results.find((r) => r.inbox === 'big' && r.sort === sort);
      const little = results.find((r) => r.inbox === 'small' && r.sort === sort);
      if (!big || !little) continue;
      for (const which of ['first', 'deep'] as const) {
        const o = big[which];
        const b = little[which];
        const where = which === 'first' ? 'first page' : `page ${big.deep.page} (cursor)`;
        rows.push({
          scenario: 'inbox-at-scale',
          metric: `sort=${sort} ${order}, ${where}: p95`,
          ours: o.p95,
          baseline: b.p95,
          baselineName: `inbox of ${small}`,
          ratio: ratio(o.p95, b.p95),
          unit: `ms (p50 ${o.p50} vs ${b.p50}; ${conversations} conversations, ${conversations * 10} messages; ${limit} a page)`,
        });
      }
    }
    return rows;
  } finally {
    await server.cleanup();
  }
}
