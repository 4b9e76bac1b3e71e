import net from 'node:net';

/**
 * A TCP proxy in front of a real server (Postgres) that a test can break on purpose:
 * - `reset()` drops every open connection with a TCP reset; new ones still pass;
 * - `cut()` drops every connection and refuses new ones (ECONNREFUSED-like: accepted then reset);
 * - `blackhole()` stops forwarding in both directions and holds new connections without answering,
 *   as a network partition does;
 * - `delay(ms)` forwards every chunk late;
 * - `restore()` passes traffic again (held connections are dropped, as after a long partition).
 */
export class TcpProxy {
  private mode: 'pass' | 'cut' | 'blackhole' = 'pass';
  private delayMs = 0;
  /** Connections turned away while cut. */
  refused = 0;
  private readonly pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined;
    const server = net.createServer((client) => proxy?.accept(client, target));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new TcpProxy(server, (server.address() as net.AddressInfo).port);
    return proxy;
  }

  /** `target` URL with its host and port replaced by the proxy's. */
  urlFor(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  get connections(): number {
    return this.pairs.size;
  }

  reset(): void {
    for (const p of this.pairs) this.drop(p);
  }

  cut(): void {
    this.mode = 'cut';
    this.reset();
  }

  blackhole(): void {
    this.mode = 'blackhole';
    for (const p of this.pairs) {
      p.client.pause();
      p.upstream.pause();
    }
  }

  delay(ms: number): void {
    this.delayMs = ms;
  }

  restore(): void {
    if (this.mode === 'blackhole') this.reset();
    this.mode = 'pass';
    this.delayMs = 0;
  }

  async close(): Promise<void> {
    this.reset();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket, target: { host: string; port: number }): void {
    client.on('error', () => {});
    if (this.mode === 'cut') {
      this.refused++;
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    upstream.on('error', () => {});
    const pair = { client, upstream };
    this.pairs.add(pair);
    if (this.mode === 'blackhole') {
      client.pause();
      upstream.pause();
    }
    const forward = (from: net.Socket, to: net.Socket) =>
      from.on('data', (chunk) => {
        if (this.mode === 'blackhole') return;
        if (this.delayMs > 0) setTimeout(() => to.write(chunk), this.delayMs);
        else to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
    const end = () => this.drop(pair);
    client.on('close', end);
    upstream.on('close', end);
  }

  private drop(pair: { client: net.Socket; upstream: net.Socket }): void {
    if (!this.pairs.delete(pair)) return;
    pair.client.resetAndDestroy();
    pair.upstream.resetAndDestroy();
  }
}
