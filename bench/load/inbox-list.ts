/**
 * Load generator for the inbox list: GET /api/v1/conversations?inbox=…&sort=… with an API key, for the
 * first page and for a deep page (reached by following nextCursor), each timed `samples` times one
 * after another, on the big inbox and on the small one.
 */
import { performance } from 'node:perf_hooks';
import { percentile, round } from '../lib/stats';

interface Args {
  url: string;
  apiKey: string;
  inboxes: Record<string, string>;
  sorts: { sort: string; order: 'asc' | 'desc' }[];
  limit: number;
  /** The deep page's number (page 1 is the first). */
  depth: number;
  samples: number;
}
const args = JSON.parse(process.argv[2] ?? '{}') as Args;

async function page(inbox: string, sort: string, order: string, cursor?: string) {
  const q = new URLSearchParams({ inbox, sort, order, limit: String(args.limit), ...(cursor ? { cursor } : {}) });
  const t0 = performance.now();
  const res = await fetch(`${args.url}/api/v1/conversations?${q}`, { headers: { authorization: `Bearer ${args.apiKey}` } });
  const body = (await res.json()) as { data: unknown[]; nextCursor: string | null };
  if (res.status !== 200) throw new Error(`GET conversations: ${res.status} ${JSON.stringify(body)}`);
  return { ms: performance.now() - t0, rows: body.data.length, nextCursor: body.nextCursor };
}

async function timed(f: () => Promise<{ ms: number; rows: number }>) {
  await f(); // warm: the first call plans the query and fills caches
  const ms: number[] = [];
  let rows = 0;
  for (let i = 0; i < args.samples; i++) {
    const r = await f();
    ms.push(r.ms);
    rows = r.rows;
  }
  return { p50: round(percentile(ms, 50), 2), p95: round(percentile(ms, 95), 2), rows };
}

// Warm the server's code paths and the database's caches on every list first, so the first list timed
// does not pay for them (it otherwise looked 2× slower than the same query a moment later).
for (let i = 0; i < 5; i++)
  for (const inbox of Object.values(args.inboxes)) for (const { sort, order } of args.sorts) await page(inbox, sort, order);

const results = [];
for (const [name, inbox] of Object.entries(args.inboxes)) {
  for (const { sort, order } of args.sorts) {
    const first = await timed(() => page(inbox, sort, order));
    let cursor: string | undefined;
    let reached = 1;
    for (; reached < args.depth; reached++) {
      const next = (await page(inbox, sort, order, cursor)).nextCursor;
      if (!next) break;
      cursor = next;
    }
    const deep = await timed(() => page(inbox, sort, order, cursor));
    results.push({ inbox: name, sort, order, first, deep: { ...deep, page: reached } });
  }
}
console.log(JSON.stringify(results));
process.exit(0);
