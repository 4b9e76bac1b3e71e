import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { Adapter, type BroadcastOptions } from 'socket.io-adapter';
import type { Metrics } from '../ops/metrics';

export type RedisStatus = 'up' | 'down';

/**
 * The Redis side of live delivery, built so that Redis being away never stops a process:
 * - the publishing client has no offline queue and a short command timeout, so a broadcast that cannot
 *   reach Redis fails at once and the adapter still delivers it to this process's own sockets (the
 *   adapter publishes first and delivers locally after, whatever the outcome); nothing piles up in memory;
 * - the stream reader and the subscriber (`duplicate()`) keep ioredis' defaults: one blocking read or
 *   subscription each, resent when Redis is back;
 * - asking every process for its sockets (presence, viewers) answers from this process alone while
 *   Redis is away instead of waiting for it;
 * - broadcasts that could not be published are counted, and once Redis is back every process is told
 *   (`resync`) so clients catch up from the database, which holds everything that was stored.
 */
export class RedisLink {
  readonly publisher: Redis;
  private missed = false;
  private wasDown = false;
  private readonly upListeners: (() => void)[] = [];

  constructor(
    url: string,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    commandTimeoutMs: number,
  ) {
    const common: RedisOptions = { retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2000) };
    this.publisher = new Redis(url, {
      ...common,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: commandTimeoutMs,
    });
    // The adapter duplicates the publisher for its blocking reader and subscriber; those must queue.
    this.publisher.duplicate = () => {
      const client = new Redis(url, { ...common, maxRetriesPerRequest: null });
      client.on('error', () => {});
      return client;
    };
    // The adapter fires PUBLISH (presence queries, their answers) without awaiting it: a rejection there
    // must not become an unhandled one. Callers that do await still see it.
    for (const name of ['publish', 'spublish'] as const) {
      const send = this.publisher[name].bind(this.publisher) as (...args: unknown[]) => Promise<unknown>;
      (this.publisher as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
        const p = send(...args);
        p.catch(() => {});
        return p;
      };
    }
    this.publisher.on('error', (err: Error & { code?: string }) => {
      if (!this.wasDown) this.logger.warn({ code: err.code ?? 'redis_error' }, 'redis connection problem');
    });
    this.publisher.on('close', () => this.down());
    this.publisher.on('ready', () => this.up());
    metrics.redisUp.set(0);
  }

  get status(): RedisStatus {
    return this.publisher.status === 'ready' ? 'up' : 'down';
  }

  /** Resolves once connected, or after `timeoutMs` (the process then starts degraded and connects later). */
  async ready(timeoutMs: number): Promise<void> {
    if (this.publisher.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, timeoutMs);
      this.publisher.once('ready', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** Called after Redis came back while broadcasts had been missed (here or, via `resync`, elsewhere). */
  onCatchUp(listener: () => void): void {
    this.upListeners.push(listener);
  }

  adapterFactory(prefix: string) {
    const make = createAdapter(this.publisher, { streamName: `${prefix}:socket.io`, channelPrefix: `${prefix}:socket.io` });
    const link = this;
    // A plain function: Socket.IO calls it with `new`, and the adapter object it returns is what it gets.
    return function adapterFor(nsp: unknown) {
      const adapter = make(nsp);
      const remoteFetch = adapter.fetchSockets.bind(adapter);
      const localFetch = (opts: BroadcastOptions) => Adapter.prototype.fetchSockets.call(adapter, opts);
      adapter.fetchSockets = (opts: BroadcastOptions) =>
        link.status === 'up' ? remoteFetch(opts).catch(() => localFetch(opts)) : localFetch(opts);
      const a = adapter as unknown as { doPublish(m: unknown): Promise<string> };
      const publish = a.doPublish.bind(adapter);
      a.doPublish = (message) =>
        publish(message).catch((err: unknown) => {
          link.metrics.redisPublishFailures.inc();
          if (!link.missed) link.logger.warn('redis unreachable: live events reach this process only until it is back');
          link.missed = true;
          throw err;
        });
      return adapter;
    };
  }

  close(): void {
    this.publisher.disconnect();
  }

  private down(): void {
    this.metrics.redisUp.set(0);
    if (this.wasDown) return;
    this.wasDown = true;
    this.logger.warn('redis connection lost: delivering to this process only, other processes catch up when it is back');
  }

  private up(): void {
    this.metrics.redisUp.set(1);
    const wasDown = this.wasDown;
    this.wasDown = false;
    if (!wasDown && !this.missed) return;
    this.missed = false;
    this.logger.info('redis reachable again: telling clients to catch up');
    for (const l of this.upListeners) l();
  }
}
