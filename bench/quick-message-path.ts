/**
 * A quick figure for the message path (the full harness is the benchmarks issue): N rooms, each with one
 * visitor and one agent socket; visitors send at a fixed total rate; we measure send→ack and send→agent
 * receipt. Runs against PGlite by default, Postgres + Redis when DATABASE_URL / REDIS_URL are set.
 *   npx tsx bench/quick-message-path.ts [rooms=100] [messages=2000] [rate=500]
 */
import { performance } from 'node:perf_hooks';
import { io } from 'socket.io-client';
import { startTestServer } from '../tests/helpers/test-server';

const [rooms = 100, total = 2000, rate = 500] = process.argv.slice(2).map(Number);
const s = await startTestServer({ env: { LOG_LEVEL: 'silent' } });
const websiteToken = (await s.req('GET', '/inboxes', { auth: s.admin })).body.data[0].websiteToken;

type Room = { conversationId: string; visitor: ReturnType<typeof io>; agent: ReturnType<typeof io> };
const all: Room[] = [];
const sentAt = new Map<string, number>();
const ackMs: number[] = [];
const deliverMs: number[] = [];

for (let i = 0; i < rooms; i++) {
  const v = await fetch(`${s.url}/widget-api/v1/visitors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ websiteToken }),
  }).then((r) => r.json());
  const visitor = io(`${s.url}/widget`, {
    transports: ['websocket'],
    auth: { websiteToken, visitorToken: v.visitorToken },
    forceNew: true,
  });
  const started = await visitor.emitWithAck('conversation:start', { clientId: `start-${i}`, body: 'hi' });
  const agent = io(`${s.url}/agent`, { transports: ['websocket'], extraHeaders: { cookie: s.admin.cookie }, forceNew: true });
  await agent.emitWithAck('room:join', { conversationId: started.conversationId, lastSeq: 0 });
  agent.on('message', (e: { message: { clientId: string | null } }) => {
    const t = e.message.clientId ? sentAt.get(e.message.clientId) : undefined;
    if (t !== undefined) deliverMs.push(performance.now() - t);
  });
  all.push({ conversationId: started.conversationId, visitor, agent });
}

const cpuStart = process.cpuUsage();
const t0 = performance.now();
const pending: Promise<unknown>[] = [];
for (let n = 0; n < total; n++) {
  const due = t0 + (n * 1000) / rate;
  const wait = due - performance.now();
  if (wait > 1) await new Promise((r) => setTimeout(r, wait));
  const room = all[n % all.length] as Room;
  const clientId = `b-${n}`;
  sentAt.set(clientId, performance.now());
  pending.push(
    room.visitor.emitWithAck('message:send', { conversationId: room.conversationId, clientId, body: `message ${n}` }).then(() => {
      ackMs.push(performance.now() - (sentAt.get(clientId) as number));
    }),
  );
}
await Promise.all(pending);
const deadline = Date.now() + 30_000;
while (deliverMs.length < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpuStart);

const pct = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]?.toFixed(1);
};
console.log(
  JSON.stringify(
    {
      backend: process.env.DATABASE_URL ? 'postgres' : 'pglite',
      redis: !!process.env.REDIS_URL,
      rooms,
      offeredRate: rate,
      messages: total,
      acceptedPerSecond: Math.round(ackMs.length / seconds),
      delivered: deliverMs.length,
      ackMs: { p50: pct(ackMs, 50), p95: pct(ackMs, 95), p99: pct(ackMs, 99) },
      sendToAgentMs: { p50: pct(deliverMs, 50), p95: pct(deliverMs, 95), p99: pct(deliverMs, 99) },
      cpuMsPerMessage: ((cpu.user + cpu.system) / 1000 / total).toFixed(2),
      note: 'load generator and server share this process: CPU figure includes both',
    },
    null,
    2,
  ),
);
for (const r of all) {
  r.visitor.disconnect();
  r.agent.disconnect();
}
await s.close();
process.exit(0);
