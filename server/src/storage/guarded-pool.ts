import { AppError } from '@autocrm/shared';
import pg from 'pg';
import type { Logger } from 'pino';
import { databaseBusy, databaseUnavailable, isConnectionError, isPoolWaitTimeout, isStatementTimeout } from './db-unavailable';

export type DatabaseState = 'up' | 'down';

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  p.catch(() => {});
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(Object.assign(new Error('heartbeat timed out'), { code: 'ETIMEDOUT' })), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

const BROKEN = Symbol('broken');
const WRAPPED = Symbol('wrapped');
type Client = pg.PoolClient & { [BROKEN]?: boolean; [WRAPPED]?: boolean };

/**
 * The pool Kysely sees. It keeps a process alive and answering while Postgres is away:
 * - every client (idle or in use) has an error listener, so a dropped connection is never an
 *   unhandled 'error' event;
 * - a client that hit a connection error is destroyed on release instead of going back to the pool;
 * - after a connection error the database counts as down and every query fails at once with
 *   `unavailable` (no waiting for connect timeouts per request) until a probe gets `select 1` through.
 */
export class GuardedPool {
  private state: DatabaseState = 'up';
  private probeTimer: NodeJS.Timeout | undefined;
  private probeDelayMs = 250;
  private ended = false;
  private downSince = 0;
  private readonly stateListeners: ((state: DatabaseState) => void)[] = [];

  constructor(
    private readonly pool: pg.Pool,
    private readonly logger: Logger | undefined,
  ) {
    // An idle client's error: the pool drops it by itself; this only keeps the event handled.
    pool.on('error', (err) => this.connectionLost(err));
    pool.on('connect', (client) => {
      client.on('error', (err) => {
        (client as Client)[BROKEN] = true;
        this.connectionLost(err);
      });
    });
  }

  get status(): DatabaseState {
    return this.state;
  }

  onStateChange(listener: (state: DatabaseState) => void): void {
    this.stateListeners.push(listener);
  }

  async connect(): Promise<pg.PoolClient> {
    if (this.state === 'down') throw databaseUnavailable();
    let client: Client;
    // Every connection open and busy: this call waits in the pool's queue, and a timeout then means
    // "too much at once" (a reconnect storm), not "the database is gone". Marking it down would fail
    // every request for the probe's delay; the heartbeat, on its own connection, still notices outages.
    const saturated = this.pool.totalCount >= (this.pool.options.max ?? 10) && this.pool.idleCount === 0;
    try {
      client = (await this.pool.connect()) as Client;
    } catch (err) {
      if (saturated && isPoolWaitTimeout(err)) throw databaseBusy();
      if (isConnectionError(err)) {
        this.connectionLost(err);
        throw databaseUnavailable();
      }
      throw err;
    }
    if (!client[WRAPPED]) this.wrap(client);
    return client;
  }

  async end(): Promise<void> {
    this.ended = true;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    if (this.beatTimer) clearTimeout(this.beatTimer);
    this.beatClient?.end().catch(() => {});
    await this.pool.end();
  }

  private beatTimer: NodeJS.Timeout | undefined;
  private beatClient: pg.Client | undefined;

  /**
   * A network that drops packets makes no error: queries just wait (up to the query timeout). A
   * heartbeat on its own connection (not the pool's, which may be busy) notices within
   * `intervalMs + timeoutMs` and switches to failing fast.
   */
  startHeartbeat(intervalMs: number, timeoutMs: number): void {
    const beat = async () => {
      if (this.ended) return;
      if (this.state === 'up') {
        try {
          if (!this.beatClient) {
            const c = new pg.Client(this.pool.options);
            c.on('error', () => {});
            this.beatClient = c;
            await withTimeout(c.connect(), timeoutMs);
          }
          await withTimeout(this.beatClient.query('select 1'), timeoutMs);
        } catch (err) {
          const c = this.beatClient;
          this.beatClient = undefined;
          (c as unknown as { connection?: { stream?: { destroy(): void } } })?.connection?.stream?.destroy();
          this.connectionLost(err ?? new Error('heartbeat'));
        }
      }
      this.beatTimer = setTimeout(() => void beat(), intervalMs);
      this.beatTimer.unref();
    };
    this.beatTimer = setTimeout(() => void beat(), intervalMs);
    this.beatTimer.unref();
  }

  private wrap(client: Client): void {
    client[WRAPPED] = true;
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    const release = client.release.bind(client);
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const result = query(...args);
      if (!(result instanceof Promise)) return result;
      return result.catch((err: unknown) => {
        if (isConnectionError(err)) {
          client[BROKEN] = true;
          this.connectionLost(err);
          throw databaseUnavailable();
        }
        if (isStatementTimeout(err)) throw new AppError('unavailable', 'the database took too long to answer, please try again');
        throw err;
      });
    };
    client.release = (err?: Error | boolean) => release(err ?? (client[BROKEN] ? true : undefined));
  }

  private connectionLost(err: unknown): void {
    if (this.ended || this.state === 'down') return;
    this.state = 'down';
    this.downSince = Date.now();
    this.probeDelayMs = 250;
    this.logger?.error(
      { code: (err as { code?: string })?.code ?? 'connection_lost' },
      'database unreachable: answering unavailable until it is back',
    );
    for (const l of this.stateListeners) l('down');
    this.scheduleProbe();
  }

  private scheduleProbe(): void {
    if (this.ended) return;
    this.probeTimer = setTimeout(() => void this.probe(), this.probeDelayMs);
    this.probeTimer.unref();
    this.probeDelayMs = Math.min(this.probeDelayMs * 2, 2000);
  }

  private async probe(): Promise<void> {
    try {
      const client = await this.pool.connect();
      try {
        await client.query('select 1');
        client.release();
      } catch (err) {
        client.release(true);
        throw err;
      }
    } catch {
      this.scheduleProbe();
      return;
    }
    if (this.ended) return;
    this.state = 'up';
    this.logger?.info({ downMs: Date.now() - this.downSince }, 'database reachable again');
    for (const l of this.stateListeners) l('up');
  }
}
