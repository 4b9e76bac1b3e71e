import { memoryStorage, RoomClient } from '@autocrm/shared/realtime-client';
import type { PrivateRedis } from '../../tests/helpers/redis-server';
import type { TcpProxy } from '../../tests/helpers/tcp-proxy';

export interface FaultFigure {
  metric: string;
  ms: number | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Two processes (visitor on B, agents on A and B) behind a Postgres proxy and a private Redis, under a
 * steady stream of visitor messages. Each fault is injected, held, lifted, and timed: how long until
 * sends are acked again, how long a send waited at worst, how long until a process on the other side
 * holds every stored message. Nothing is lost is checked as it goes (every send acked once).
 */
export async function measureFaults(opts: {
  a: string;
  b: string;
  websiteToken: string;
  agentCookie: string;
  proxy: TcpProxy;
  redis: PrivateRedis;
  holdMs: number;
  rate: number;
}): Promise<FaultFigure[]> {
  const { a, b, proxy, redis } = opts;
  const visitorRes = await fetch(`${b}/widget-api/v1/visitors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ websiteToken: opts.websiteToken }),
  });
  const { visitorToken } = (await visitorRes.json()) as { visitorToken: string };
  const visitor = new RoomClient({
    url: b,
    namespace: '/widget',
    auth: { websiteToken: opts.websiteToken, visitorToken },
    storage: memoryStorage(),
    ackTimeoutMs: 5000,
    retryMaxMs: 2000,
  });
  const agentA = new RoomClient({ url: a, namespace: '/agent', auth: {}, extraHeaders: { cookie: opts.agentCookie } });
  const agentB = new RoomClient({ url: b, namespace: '/agent', auth: {}, extraHeaders: { cookie: opts.agentCookie } });
  const figures: FaultFigure[] = [];
  try {
    await new Promise<void>((r) => visitor.socket.once('connect', () => r()));
    const started = await visitor.socket.emitWithAck('conversation:start', { clientId: 'bench-start', body: 'hello' });
    if (!started.ok) throw new Error(started.error.message);
    const room = started.conversationId;
    await visitor.join(room);
    await agentA.join(room);
    await agentB.join(room);
    const seenA = new Map<number, number>();
    const seenB = new Map<number, number>();
    agentA.onEvent((e) => seenA.set(e.eventSeq, Date.now()));
    agentB.onEvent((e) => seenB.set(e.eventSeq, Date.now()));

    // The steady load: one send every 1000/rate ms, each timed from send to ack.
    const acks: { sentAt: number; ackedAt: number; seq: number }[] = [];
    let sending = true;
    let n = 0;
    const pending: Promise<unknown>[] = [];
    const loop = (async () => {
      while (sending) {
        const sentAt = Date.now();
        pending.push(visitor.send(room, `load ${n++}`).then((r) => acks.push({ sentAt, ackedAt: Date.now(), seq: r.seq })));
        await sleep(1000 / opts.rate);
      }
    })();
    const until = async (check: () => boolean, timeoutMs = 120_000) => {
      const end = Date.now() + timeoutMs;
      while (!check()) {
        if (Date.now() > end) return false;
        await sleep(10);
      }
      return true;
    };
    const firstAckAfter = async (t: number) => {
      const ok = await until(() => acks.some((x) => x.ackedAt > t && x.sentAt >= t));
      return ok ? Math.min(...acks.filter((x) => x.ackedAt > t && x.sentAt >= t).map((x) => x.ackedAt)) - t : null;
    };
    const worstWaitBetween = (from: number, to: number) => {
      const w = acks.filter((x) => x.sentAt >= from && x.sentAt <= to).map((x) => x.ackedAt - x.sentAt);
      return w.length ? Math.max(...w) : null;
    };
    const readyz = async (url: string) => {
      try {
        return (await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) })).status;
      } catch {
        return 0;
      }
    };

    await sleep(1000);
    // 1. Every Postgres connection reset at once.
    let t = Date.now();
    proxy.reset();
    figures.push({ metric: 'postgres reset: first ack of a send made after the reset', ms: await firstAckAfter(t) });
    await sleep(1000);
    figures.push({ metric: 'postgres reset: longest wait for an ack around it', ms: worstWaitBetween(t - 1000, t + 1000) });

    // 2. Postgres unreachable (packets dropped) for holdMs.
    t = Date.now();
    proxy.blackhole();
    let s503: number | null = null;
    while (Date.now() - t < opts.holdMs) {
      if (s503 === null && (await readyz(b)) === 503) s503 = Date.now() - t;
      await sleep(100);
    }
    figures.push({ metric: 'postgres unreachable: /readyz turns 503 after', ms: s503 });
    t = Date.now();
    proxy.restore();
    const backAck = await firstAckAfter(t);
    figures.push({ metric: 'postgres unreachable: first ack after it is reachable again', ms: backAck });
    await until(() => visitor.pending().length === 0);
    figures.push({ metric: 'postgres unreachable: outbox empty (all held sends stored) after', ms: Date.now() - t });

    // 3. Redis killed for holdMs: same-process delivery goes on, the other process catches up after.
    await sleep(1000);
    await redis.stop();
    const downAt = Date.now();
    await sleep(opts.holdMs);
    const duringOnB = acks.filter((x) => x.sentAt > downAt + 500);
    const sameProcess = duringOnB.map((x) => (seenB.get(x.seq) ?? Number.NaN) - x.ackedAt).filter((d) => !Number.isNaN(d));
    figures.push({
      metric: 'redis down: same-process delivery, worst ack-to-agent delay',
      ms: sameProcess.length ? Math.max(...sameProcess) : null,
    });
    t = Date.now();
    await redis.start();
    const lastStored = Math.max(...acks.map((x) => x.seq));
    const caught = await until(() => [...acks].filter((x) => x.seq <= lastStored).every((x) => seenA.has(x.seq)));
    figures.push({
      metric: 'redis back: other process has every message sent during the outage after',
      ms: caught ? Date.now() - t : null,
    });

    sending = false;
    await loop;
    await Promise.all(pending);
    const seqs = acks.map((x) => x.seq);
    figures.push({ metric: `sends acked (of ${n}), each once`, ms: new Set(seqs).size === n ? n : -new Set(seqs).size });
  } finally {
    visitor.close();
    agentA.close();
    agentB.close();
  }
  return figures;
}
