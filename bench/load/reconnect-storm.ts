/**
 * Load generator for the reconnect storm. N widget sockets each hold their own conversation room while
 * an agent keeps posting into a tenth of the rooms; then every socket is dropped at once and comes
 * back with room:join {lastSeq: the last seq it had}. Measures how long until 99% have everything they
 * missed, and checks every room's stream: each seq present, none missing, duplicates counted.
 * The baseline is the same N sockets connecting fresh (all at once, no join) to the same server.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { raiseOwnFileLimit } from '../lib/limits';
import { SioLite } from '../lib/sio-lite';
import { cpuSecondsOf, round } from '../lib/stats';

interface Args {
  url: string;
  pid: number;
  websiteToken: string;
  /** A JSON file with {visitorTokens, conversationIds}: room i belongs to visitor i % visitorTokens.length. */
  roomsFile: string;
  /** The sender: an API-key socket on /agent (conversations:write). */
  apiKey: string;
  /** Agent messages per second into the busy rooms (every 10th), before, during and after the storm. */
  rate: number;
  /** After the storm: conversations opened over the socket (conversation:start), to measure that rate. */
  starts: number;
  /** Each phase (fresh connect, join, storm, starts) ends after this long; the rest count as failed. */
  deadlineMs: number;
}
const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const seeded = JSON.parse(readFileSync(args.roomsFile, 'utf8')) as { visitorTokens: string[]; conversationIds: string[] };
const N = seeded.conversationIds.length;
const V = seeded.visitorTokens.length;
raiseOwnFileLimit(N + 1000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => console.error(`   [storm] ${msg}`);

interface Room {
  conversationId: string;
  /** How often each seq arrived (replay, sync or live): 1 is right, more is a duplicate. */
  seen: Map<number, number>;
  /** Every seq up to here has arrived. */
  have: number;
  /** Highest seq the sender's acks report for this room. */
  expected: number;
  socket?: SioLite;
}
const rooms: Room[] = seeded.conversationIds.map((conversationId) => ({ conversationId, seen: new Map(), have: 0, expected: 1 }));

function receive(room: Room, seq: number) {
  room.seen.set(seq, (room.seen.get(seq) ?? 0) + 1);
  while (room.seen.has(room.have + 1)) room.have++;
}

const widgetAuth = (i: number) => ({ websiteToken: args.websiteToken, visitorToken: seeded.visitorTokens[i % V] });

/** Set when a phase's deadline passed: retry loops still running give up instead of adding load. */
let abandoned = false;
let retries = 0;
const failureReasons = new Map<string, number>();

/** Connects as socket.io-client would: 20 s timeout, then retries after 1, 2, 4, 5, 5… s (±50%). */
async function connectWithRetry(i: number): Promise<SioLite> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await SioLite.connect(args.url, '/widget', widgetAuth(i), { timeoutMs: 20_000 });
    } catch (err) {
      retries++;
      const reason = (err as Error).message.slice(0, 60);
      failureReasons.set(reason, (failureReasons.get(reason) ?? 0) + 1);
      if (abandoned) throw err;
      await sleep(Math.min(5000, 1000 * 2 ** attempt) * (0.5 + Math.random()));
    }
  }
}

/** Joins room i on a new socket from what it has, then syncs until it has everything up to lastSeq. */
async function joinAndResync(i: number, socket: SioLite): Promise<void> {
  const room = rooms[i] as Room;
  room.socket = socket;
  socket.on('message', (e: { eventSeq: number }) => receive(room, e.eventSeq));
  // As the RoomClient does: a join refused for a passing reason (`unavailable`: the server busy) is
  // tried again with capped, jittered backoff.
  let ack = await socket.call('room:join', { conversationId: room.conversationId, lastSeq: room.have });
  for (let attempt = 0; !ack.ok && ack.error.code === 'unavailable' && !abandoned; attempt++) {
    retries++;
    await sleep(Math.min(10_000, 250 * 2 ** attempt) * (0.5 + Math.random() / 2));
    ack = await socket.call('room:join', { conversationId: room.conversationId, lastSeq: room.have });
  }
  if (!ack.ok) throw new Error(`room:join: ${ack.error.message}`);
  for (const e of ack.events as { eventSeq: number }[]) receive(room, e.eventSeq);
  let more = ack.hasMore as boolean;
  while (more) {
    const after = Math.max(room.have, ...room.seen.keys());
    const page = await socket.call('room:sync', { conversationId: room.conversationId, afterSeq: after });
    if (!page.ok) throw new Error(`room:sync: ${page.error.message}`);
    for (const e of page.events as { eventSeq: number }[]) receive(room, e.eventSeq);
    more = page.hasMore;
  }
  // Anything still missing below lastSeq arrives live (committed, not yet fanned out) within moments;
  // if it never does, the check at the end counts it as lost.
  const until = Date.now() + 10_000;
  while (room.have < ack.lastSeq && Date.now() < until) await sleep(5);
}

/**
 * Runs `task` for every room (at most `concurrency` at once) until all are done or `deadlineMs` passed,
 * and reports when each finished. Past the deadline the rest count as not done: a server that fell
 * behind then only works through abandoned handshakes.
 */
async function phase(indexes: number[], concurrency: number, task: (i: number) => Promise<void>) {
  abandoned = false;
  retries = 0;
  failureReasons.clear();
  const t0 = performance.now();
  const cpu0 = cpuSecondsOf(args.pid);
  const times: number[] = [];
  const done = new Set<number>();
  let firstError: string | undefined;
  let next = 0;
  const worker = async () => {
    while (next < indexes.length && !abandoned) {
      const i = indexes[next++] as number;
      try {
        await task(i);
        times.push(performance.now() - t0);
        done.add(i);
      } catch (err) {
        firstError ??= (err as Error).message;
      }
    }
  };
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(Array.from({ length: Math.min(concurrency, indexes.length) }, worker)),
    new Promise<void>((r) => {
      timer = setTimeout(r, args.deadlineMs);
    }),
  ]);
  clearTimeout(timer);
  abandoned = true;
  const cpu = cpuSecondsOf(args.pid) - cpu0;
  // Time until 99% of all (not of those that made it); null if fewer than 99% made it in time.
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.ceil((p / 100) * indexes.length) - 1] ?? null;
  return {
    done,
    p50: at(50),
    p99: at(99),
    all: done.size === indexes.length ? (sorted.at(-1) ?? 0) : null,
    failed: indexes.length - done.size,
    retries,
    cpuSeconds: cpu,
    firstError,
    reasons: [...failureReasons],
  };
}

const all = rooms.map((_, i) => i);

// 1. Baseline: N fresh sockets, all at once (connect only).
const sockets: SioLite[] = [];
const fresh = await phase(all, N, async (i) => {
  sockets[i] = await connectWithRetry(i);
});
log(
  `fresh connect: p99 ${fresh.p99?.toFixed(0)} ms, ${fresh.failed} failed, ${fresh.retries} retries ${JSON.stringify(fresh.reasons)}`,
);

// 2. Each connected socket joins its room from scratch (a page load), 200 at a time.
const joined = await phase([...fresh.done], 200, (i) => joinAndResync(i, sockets[i] as SioLite));
const present = [...joined.done].sort((a, b) => a - b);
log(`joined ${present.length} of ${N}${joined.firstError ? ` (${joined.firstError})` : ''}`);

// 3. Messages keep flowing into every 10th room from an agent socket that never drops. An API key, not
//    a person: a signed-in agent would be online for routing, which then walks the whole queue on
//    every tick looking for a seat (a cost of its own, not of the storm).
const agent = await SioLite.connect(args.url, '/agent', { apiKey: args.apiKey });
const busy = present.filter((i) => i % 10 === 0).map((i) => rooms[i] as Room);
let sending = busy.length > 0;
let sent = 0;
let sendFailed = 0;
const inFlight = new Set<Promise<void>>();
const flow = (async () => {
  const started = performance.now();
  while (sending) {
    const wait = started + (sent * 1000) / args.rate - performance.now();
    if (wait > 1) await sleep(wait);
    const room = busy[sent % busy.length] as Room;
    const p = agent
      .call('message:send', { conversationId: room.conversationId, clientId: `flow-${sent}`, body: `flow ${sent}` })
      .then(
        (ack) => {
          if (ack.ok) room.expected = Math.max(room.expected, ack.seq);
          else sendFailed++;
        },
        () => void sendFailed++,
      )
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
    sent++;
  }
})();
await sleep(1500);

// 4. The storm: every socket dropped at once, every one back at once, resuming from what it had.
for (const i of present) rooms[i]?.socket?.terminate();
const storm = await phase(present, present.length, async (i) => joinAndResync(i, await connectWithRetry(i)));
log(
  `storm: p99 ${storm.p99?.toFixed(0)} ms, ${storm.failed} not resynced, ${storm.retries} retries ${JSON.stringify(storm.reasons)}`,
);

// 5. A little more traffic after everyone is back, then stop and let the last messages arrive.
await sleep(1000);
sending = false;
await flow;
await Promise.all(inFlight);
const back = present.filter((i) => storm.done.has(i)).map((i) => rooms[i] as Room);
const deadline = Date.now() + 15_000;
while (back.some((r) => r.have < r.expected) && Date.now() < deadline) await sleep(50);

// Only rooms whose socket came back can be checked: the others miss messages because they are gone.
let lost = 0;
let duplicates = 0;
let roomsWithGaps = 0;
for (const r of back) {
  const top = Math.max(r.expected, ...r.seen.keys());
  let missing = 0;
  for (let seq = 1; seq <= top; seq++) if (!r.seen.has(seq)) missing++;
  for (const count of r.seen.values()) duplicates += count - 1;
  lost += missing;
  if (missing) roomsWithGaps++;
}
for (const r of rooms) r.socket?.terminate();
agent.terminate();

// 6. Opening conversations over the socket as the widget does: one socket per visitor, each starting
//    its conversations one after another (a visitor's starts are serialized by the server anyway).
//    Last, because each one also joins the routing queue. Only once the server has caught up.
for (let quiet = 0; quiet < 30; quiet++) {
  const c0 = cpuSecondsOf(args.pid);
  await sleep(1000);
  if (cpuSecondsOf(args.pid) - c0 < 0.3) break;
}
const creators: SioLite[] = [];
let started = 0;
const creation = await phase(
  seeded.visitorTokens.map((_, v) => v),
  V,
  async (v) => {
    const socket = await connectWithRetry(v);
    creators.push(socket);
    for (let i = v; i < args.starts && !abandoned; i += V) {
      const ack = await socket.call('conversation:start', { clientId: `start-${i}`, body: `hello ${i}` });
      if (!ack.ok) throw new Error(`conversation:start: ${ack.error.message}`);
      started++;
    }
  },
);
const createSeconds = (creation.all ?? args.deadlineMs) / 1000;
for (const s of creators) s.terminate();

console.log(
  JSON.stringify({
    rooms: N,
    present: present.length,
    visitors: V,
    started,
    createSeconds: round(createSeconds, 1),
    createPerSecond: round(started / createSeconds, 0),
    freshP50: round(fresh.p50 ?? Number.NaN, 0),
    freshP99: round(fresh.p99 ?? Number.NaN, 0),
    freshFailed: fresh.failed,
    freshRetries: fresh.retries,
    stormP50: round(storm.p50 ?? Number.NaN, 0),
    stormP99: round(storm.p99 ?? Number.NaN, 0),
    stormAll: round(storm.all ?? Number.NaN, 0),
    stormRetries: storm.retries,
    stormCpuSeconds: round(storm.cpuSeconds, 2),
    resyncFailed: storm.failed,
    stormError: storm.firstError ?? null,
    sent,
    sendFailed,
    lost,
    duplicates,
    roomsWithGaps,
  }),
);
process.exit(0);
