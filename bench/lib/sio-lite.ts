/**
 * A bare-bones Socket.IO client over one `ws` WebSocket, speaking the engine.io v4 / socket.io v5 text
 * protocol by hand: tens of thousands of socket.io-client instances would make the load generator the
 * bottleneck (each carries a Manager, timers and an engine.io state machine). Only what the benchmarks
 * need: websocket transport, one namespace with auth, events with acks, pong. No binary, no reconnect.
 */
import WebSocket from 'ws';

export interface SioLiteOptions {
  /** Source address to bind (e.g. 127.0.0.2), so more than one ephemeral port range is available. */
  localAddress?: string;
  /** Handshake headers (an agent's session cookie). */
  headers?: Record<string, string>;
  timeoutMs?: number;
}

type Listener = (data: any) => void;

export class SioLite {
  private nextAck = 0;
  private readonly acks = new Map<number, (args: unknown[]) => void>();
  private readonly listeners = new Map<string, Listener>();
  closed = false;

  private constructor(
    private readonly ws: WebSocket,
    private readonly nsp: string,
  ) {}

  /** Opens the WebSocket and connects to `nsp` with `auth`; rejects on a connect error or timeout. */
  static connect(baseUrl: string, nsp: string, auth: object, opts: SioLiteOptions = {}): Promise<SioLite> {
    const url = `${baseUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
    const ws = new WebSocket(url, {
      perMessageDeflate: false,
      ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
      ...(opts.headers ? { headers: opts.headers } : {}),
    });
    const client = new SioLite(ws, nsp);
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        ws.terminate();
        reject(err);
      };
      const timer = setTimeout(() => fail(new Error('connect timeout')), opts.timeoutMs ?? 30_000);
      ws.once('error', fail);
      ws.once('close', () => {
        client.closed = true;
        fail(new Error('closed before connect'));
      });
      // Sent on open without waiting for the engine.io handshake: the server reads it after its own.
      ws.once('open', () => ws.send(`40${nsp},${JSON.stringify(auth)}`));
      ws.on('message', (raw) => {
        const packet = String(raw);
        if (packet === '2') return ws.send('3'); // engine.io ping → pong
        if (packet[0] !== '4') return; // engine.io open/noop: nothing to do
        const type = packet[1];
        const body = packet.slice(2 + nsp.length + 1); // after "4<type>/nsp,"
        if (type === '0' && !settled) {
          settled = true;
          clearTimeout(timer);
          ws.off('error', fail);
          ws.on('error', () => {}); // a later reset only closes it
          resolve(client);
        } else if (type === '4') fail(new Error(`connect_error ${body}`));
        else if (type === '2' || type === '3') client.onPacket(type, body);
      });
    });
  }

  private onPacket(type: string, body: string) {
    const bracket = body.indexOf('[');
    const id = bracket > 0 ? Number(body.slice(0, bracket)) : undefined;
    const args = JSON.parse(body.slice(bracket)) as unknown[];
    if (type === '3' && id !== undefined) {
      this.acks.get(id)?.(args);
      this.acks.delete(id);
    } else if (type === '2') this.listeners.get(args[0] as string)?.(args[1]);
  }

  /** One listener per event is all the benchmarks need. */
  on(event: string, listener: Listener): void {
    this.listeners.set(event, listener);
  }

  /** Emits with an ack and resolves with the ack's first argument. */
  call<T = any>(event: string, payload: unknown, timeoutMs = 30_000): Promise<T> {
    const id = this.nextAck++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.acks.delete(id);
        reject(new Error(`${event}: ack timeout`));
      }, timeoutMs);
      this.acks.set(id, (args) => {
        clearTimeout(timer);
        resolve(args[0] as T);
      });
      this.ws.send(`42${this.nsp},${id}${JSON.stringify([event, payload])}`);
    });
  }

  /** Drops the connection without a goodbye (what a network failure or a dying load balancer does). */
  terminate(): void {
    this.closed = true;
    this.ws.terminate();
  }
}

/** Runs `task(i)` for i in [0, n) with at most `limit` in flight. */
export async function pool(n: number, limit: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, worker));
}
