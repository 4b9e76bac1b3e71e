/**
 * Load generator for idle connections: opens connections in cumulative steps against one target
 * (AutoCRM's /widget namespace, or the bare ws baseline), and after each step reports the server's RSS
 * per connection and how long the step took to connect. Connections are plain `ws` sockets (the
 * socket.io protocol spoken by hand for AutoCRM) so the generator stays light at tens of thousands.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { fileLimitOf, openFdsOf, raiseOwnFileLimit } from '../lib/limits';
import { SioLite } from '../lib/sio-lite';
import { cpuSecondsOf, percentile, round, rssOf } from '../lib/stats';

interface Args {
  target: 'autocrm' | 'ws-baseline';
  url: string;
  pid: number;
  steps: number[];
  /** AutoCRM only: visitors are shared round-robin (creating one per connection would dominate). */
  websiteToken?: string;
  visitorTokens?: string[];
  concurrency: number;
}
const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const biggest = Math.max(...args.steps);
const limitNote = raiseOwnFileLimit(biggest + 1000);
// The 127.0.0.0/8 loopback answers on every address: past one ephemeral port range (~28k ports per
// destination), spread sources over several of them.
const ADDRESSES = biggest > 20_000 ? ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'] : [undefined];

const open: { close(): void }[] = [];
let failures = 0;

async function openOne(i: number): Promise<number> {
  const localAddress = ADDRESSES[i % ADDRESSES.length];
  const t0 = performance.now();
  for (let attempt = 0; ; attempt++) {
    try {
      if (args.target === 'autocrm') {
        const visitorToken = args.visitorTokens?.[i % args.visitorTokens.length] as string;
        const s = await SioLite.connect(
          args.url,
          '/widget',
          { websiteToken: args.websiteToken, visitorToken },
          localAddress ? { localAddress } : {},
        );
        open.push({ close: () => s.terminate() });
      } else {
        const ws = await new Promise<WebSocket>((resolve, reject) => {
          const w = new WebSocket(`${args.url}/?room=${i}&role=visitor`, {
            perMessageDeflate: false,
            ...(localAddress ? { localAddress } : {}),
          });
          w.once('open', () => resolve(w));
          w.once('error', reject);
        });
        ws.on('error', () => {});
        open.push({ close: () => ws.terminate() });
      }
      return performance.now() - t0;
    } catch (err) {
      failures++;
      if (attempt >= 3) throw err;
      await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Median of a few samples over a second: RSS moves with garbage collection on its own. */
async function steadyRss(): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    samples.push(rssOf(args.pid));
    await sleep(250);
  }
  return percentile(samples, 50);
}

// Warm-up: the first connections grow pools and caches once (code, buffers, database statements);
// that is not a per-connection cost, so it stays out of the baseline reading.
const warm = Math.min(200, ...args.steps);
for (let i = 0; i < warm; i++) await openOne(i);
for (const s of open.splice(0)) s.close();
await sleep(2000);
const rss0 = await steadyRss();
const serverLimit = fileLimitOf(args.pid).soft;
const results = [];
let fitted = false;
for (const wanted of args.steps) {
  // Room for this many sockets on both ends, with headroom for the server's database, logs and the like.
  const room = Math.min(serverLimit - openFdsOf(args.pid), fileLimitOf('self').soft - openFdsOf('self')) - 200 + open.length;
  let step = wanted;
  if (step > room) {
    const fits = Math.floor(room / 1000) * 1000;
    if (fitted || fits <= open.length) {
      results.push({ wanted, step: null, skipped: `does not fit the open-file limit (server ${serverLimit})` });
      continue;
    }
    fitted = true;
    step = fits;
  }
  const from = open.length;
  const cpu0 = cpuSecondsOf(args.pid);
  const t0 = performance.now();
  const latencies: number[] = [];
  let next = from;
  let error: string | undefined;
  const worker = async () => {
    while (next < step && !error) {
      const i = next++;
      try {
        latencies.push(await openOne(i));
      } catch (err) {
        error = (err as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: args.concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSecondsOf(args.pid) - cpu0;
  const rss = await steadyRss();
  results.push({
    wanted,
    step: open.length,
    error,
    seconds: round(seconds, 2),
    perSecond: round(latencies.length / seconds, 0),
    connectP99: round(percentile(latencies, 99)),
    cpuMsPerConnection: round((cpu * 1000) / Math.max(1, latencies.length), 2),
    rssPerConnectionKb: round((rss - rss0) / Math.max(1, open.length) / 1024, 1),
    rssMb: round(rss / 1024 / 1024, 0),
  });
  if (error) break;
}
for (const s of open) s.close();
console.log(JSON.stringify({ target: args.target, limitNote, serverLimit, failures, results }));
process.exit(0);
