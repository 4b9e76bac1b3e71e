/**
 * Load generator for the message path (its own process, so the server's CPU is read separately).
 * Sets up N rooms on AutoCRM (1 visitor each, and the same 3 agents in all of them, one socket per
 * agent; real Socket.IO clients) and on the bare ws baseline (a socket per agent per room: it has no
 * per-socket broadcasts, so the shape costs it nothing), then runs each offered rate on both,
 * alternating which goes first.
 */
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { cpuSecondsOf, percentile, round } from '../lib/stats';

interface Args {
  url: string;
  serverPid: number;
  wsUrl: string;
  wsPid: number;
  websiteToken: string;
  agentCookies: string[];
  rooms: number;
  rates: number[];
  seconds: number;
}
const args = JSON.parse(process.argv[2] ?? '{}') as Args;

interface Target {
  name: string;
  pid: number;
  send(room: number, id: string, body: string): Promise<void>;
  onDeliver(cb: (id: string) => void): void;
}

async function autocrmTarget(): Promise<Target> {
  const visitors: { socket: Socket; conversationId: string }[] = [];
  const listeners: ((id: string) => void)[] = [];
  // One socket per agent, in every room, as one open workspace tab is. (A socket per agent per room
  // puts 3,000 sockets in the inbox's queue room at 1,000 rooms, and every message and every agent
  // connect is then broadcast to all of them: the setup alone took over 20 minutes.)
  const agents = args.agentCookies.map((cookie) => {
    const agent = io(`${args.url}/agent`, { transports: ['websocket'], forceNew: true, extraHeaders: { cookie } });
    agent.on('message', (e: { message: { clientId: string | null } }) => {
      if (e.message.clientId) for (const l of listeners) l(e.message.clientId);
    });
    return agent;
  });
  for (let i = 0; i < args.rooms; i++) {
    const v = (await fetch(`${args.url}/widget-api/v1/visitors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ websiteToken: args.websiteToken }),
    }).then((r) => r.json())) as { visitorToken: string };
    const socket = io(`${args.url}/widget`, {
      transports: ['websocket'],
      forceNew: true,
      auth: { websiteToken: args.websiteToken, visitorToken: v.visitorToken },
    });
    const started = await socket.emitWithAck('conversation:start', { clientId: `start-${i}`, body: 'hello' });
    visitors.push({ socket, conversationId: started.conversationId });
    for (const agent of agents) await agent.emitWithAck('room:join', { conversationId: started.conversationId, lastSeq: 0 });
  }
  return {
    name: 'autocrm',
    pid: args.serverPid,
    async send(room, id, body) {
      const v = visitors[room % visitors.length] as { socket: Socket; conversationId: string };
      const ack = await v.socket
        .timeout(30_000)
        .emitWithAck('message:send', { conversationId: v.conversationId, clientId: id, body });
      if (!ack.ok) throw new Error(ack.error.message);
    },
    onDeliver: (cb) => listeners.push(cb),
  };
}

async function wsTarget(): Promise<Target> {
  const visitors: WebSocket[] = [];
  const pendingAcks = new Map<string, () => void>();
  const listeners: ((id: string) => void)[] = [];
  const open = (url: string) =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });
  for (let i = 0; i < args.rooms; i++) {
    for (let a = 0; a < args.agentCookies.length; a++) {
      const agent = await open(`${args.wsUrl}/?room=${i}&role=agent`);
      agent.on('message', (d) => {
        const id = (JSON.parse(String(d)) as { id: string }).id;
        for (const l of listeners) l(id);
      });
    }
    const visitor = await open(`${args.wsUrl}/?room=${i}&role=visitor`);
    visitor.on('message', (d) => pendingAcks.get((JSON.parse(String(d)) as { ack: string }).ack)?.());
    visitors.push(visitor);
  }
  return {
    name: 'ws-baseline',
    pid: args.wsPid,
    send: (room, id, body) =>
      new Promise((resolve) => {
        pendingAcks.set(id, () => {
          pendingAcks.delete(id);
          resolve();
        });
        (visitors[room % visitors.length] as WebSocket).send(JSON.stringify({ id, body }));
      }),
    onDeliver: (cb) => listeners.push(cb),
  };
}

async function runStep(target: Target, rate: number, seconds: number, tag: string) {
  const total = Math.max(1, Math.round(rate * seconds));
  const sentAt = new Map<string, number>();
  const ackMs: number[] = [];
  const deliverMs: number[] = [];
  target.onDeliver((id) => {
    const t = sentAt.get(id);
    if (t !== undefined) deliverMs.push(performance.now() - t);
  });
  const cpu0 = cpuSecondsOf(target.pid);
  const t0 = performance.now();
  const sends: Promise<void>[] = [];
  let failed = 0;
  for (let n = 0; n < total; n++) {
    const wait = t0 + (n * 1000) / rate - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const id = `${tag}-${n}`;
    sentAt.set(id, performance.now());
    sends.push(
      target.send(n % args.rooms, id, `message ${n}`).then(
        () => void ackMs.push(performance.now() - (sentAt.get(id) as number)),
        () => void failed++,
      ),
    );
  }
  await Promise.all(sends);
  const expected = total * args.agentCookies.length;
  const deadline = Date.now() + 30_000;
  while (deliverMs.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = cpuSecondsOf(target.pid) - cpu0;
  return {
    target: target.name,
    offeredRate: rate,
    sent: total,
    failed,
    acceptedPerSecond: round(ackMs.length / elapsed, 0),
    deliveriesPerSecond: round(deliverMs.length / elapsed, 0),
    delivered: deliverMs.length,
    expectedDeliveries: expected,
    ackP50: round(percentile(ackMs, 50)),
    p50: round(percentile(deliverMs, 50)),
    p95: round(percentile(deliverMs, 95)),
    p99: round(percentile(deliverMs, 99)),
    serverCpuMsPerDelivery: round((cpu * 1000) / Math.max(1, deliverMs.length), 3),
  };
}

const ours = await autocrmTarget();
const baseline = await wsTarget();
const results = [];
for (const [i, rate] of args.rates.entries()) {
  // Alternate which runs first, so warm-up and drift do not always favor one side.
  const order = i % 2 === 0 ? [ours, baseline] : [baseline, ours];
  for (const t of order) results.push(await runStep(t, rate, args.seconds, `${t.name}-${rate}-${i}`));
}
console.log(JSON.stringify(results));
process.exit(0);
