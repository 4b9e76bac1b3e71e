/**
 * Load generator for two-processes: visitors connect to one server, agents to another (or the same,
 * for the one-process run), visitors send at a fixed rate, and every agent gets every message. Reports
 * the CPU all server processes spent per delivered message, and send→agent latency.
 */
import { performance } from 'node:perf_hooks';
import { pool, SioLite } from '../lib/sio-lite';
import { cpuSecondsOf, percentile, round } from '../lib/stats';

interface Args {
  visitorUrl: string;
  agentUrl: string;
  /** Every server process whose CPU counts. */
  pids: number[];
  websiteToken: string;
  agentCookies: string[];
  rooms: number;
  rate: number;
  seconds: number;
}
const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Rooms: a visitor each (on the visitor server), opened with the first message.
const visitors: { socket: SioLite; conversationId: string }[] = [];
await pool(args.rooms, 10, async (i) => {
  const res = await fetch(`${args.visitorUrl}/widget-api/v1/visitors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ websiteToken: args.websiteToken }),
  });
  const { visitorToken } = (await res.json()) as { visitorToken: string };
  const socket = await SioLite.connect(args.visitorUrl, '/widget', { websiteToken: args.websiteToken, visitorToken });
  const ack = await socket.call('conversation:start', { clientId: `open-${i}`, body: `hello ${i}` });
  if (!ack.ok) throw new Error(`conversation:start: ${ack.error.message}`);
  visitors[i] = { socket, conversationId: ack.conversationId };
});

// Agents (on the agent server): one socket each, in every room, as one open workspace tab would be.
const sentAt = new Map<string, number>();
const latencies: number[] = [];
for (const cookie of args.agentCookies) {
  const agent = await SioLite.connect(args.agentUrl, '/agent', {}, { headers: { cookie } });
  agent.on('message', (e: { message: { clientId: string | null } }) => {
    const t = e.message.clientId ? sentAt.get(e.message.clientId) : undefined;
    if (t !== undefined) latencies.push(performance.now() - t);
  });
  for (const v of visitors) {
    const ack = await agent.call('room:join', { conversationId: v.conversationId, lastSeq: 0 });
    if (!ack.ok) throw new Error(`room:join: ${ack.error.message}`);
  }
}

async function run(tag: string, seconds: number) {
  latencies.length = 0;
  const total = Math.round(args.rate * seconds);
  const expected = total * args.agentCookies.length;
  const cpu0 = args.pids.map(cpuSecondsOf);
  const t0 = performance.now();
  const sends: Promise<void>[] = [];
  let failed = 0;
  for (let n = 0; n < total; n++) {
    const wait = t0 + (n * 1000) / args.rate - performance.now();
    if (wait > 1) await sleep(wait);
    const v = visitors[n % visitors.length] as { socket: SioLite; conversationId: string };
    const clientId = `${tag}-${n}`;
    sentAt.set(clientId, performance.now());
    sends.push(
      v.socket.call('message:send', { conversationId: v.conversationId, clientId, body: `message ${n}` }).then(
        (ack) => void (ack.ok || failed++),
        () => void failed++,
      ),
    );
  }
  await Promise.all(sends);
  const deadline = Date.now() + 30_000;
  while (latencies.length < expected && Date.now() < deadline) await sleep(20);
  const perPid = args.pids.map((pid, i) => cpuSecondsOf(pid) - (cpu0[i] as number));
  const cpu = perPid.reduce((a, b) => a + b, 0);
  return {
    sent: total,
    failed,
    delivered: latencies.length,
    expected,
    cpuMsPerDelivery: round((cpu * 1000) / Math.max(1, latencies.length), 3),
    cpuMsPerProcess: perPid.map((c) => round(c * 1000, 0)),
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
  };
}

await run('warm', 1); // JIT, statement caches and the adapter's streams, outside the measurement
const result = await run('measure', args.seconds);
console.log(JSON.stringify(result));
process.exit(0);
