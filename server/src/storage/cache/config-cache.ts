import type { Db } from '../db';
import { CACHE_KEYS, type CacheKey } from './cache-keys';

/** Carries invalidations to the other processes (Redis pub/sub); absent with one process. */
export interface CacheBus {
  /** False while invalidations from elsewhere could be missed: the cache is then read through. */
  live(): boolean;
  publish(keys: CacheKey[]): Promise<void>;
  /** `keys` null: everything (after the bus was down and may have missed some). */
  onStale(listener: (keys: CacheKey[] | null) => void): void;
  close(): Promise<void>;
}

/**
 * Values kept in this process's memory (they are small, and parsed rules or calendar maps are not
 * JSON), dropped by domain events: the `cache.stale` event's listener calls `invalidate`, which drops
 * here and tells every other process through the bus. A load that started before an invalidation is
 * not kept (generation check), so a slow read of the old row cannot outlive the change.
 */
export class ConfigCache {
  private readonly values = new Map<CacheKey, { at: number; value: Promise<unknown>; settled: boolean }>();
  private readonly generation = new Map<CacheKey, number>();
  /** Counts reads (the metrics endpoint shows them). */
  onRead: (outcome: 'hit' | 'miss') => void = () => {};

  /**
   * `maxAgeMs` is a backstop only: if an invalidation is ever lost (a publish failed while the other
   * processes' links were up), a value is still read again after this long.
   */
  constructor(
    private readonly bus?: CacheBus,
    private readonly maxAgeMs = 300_000,
  ) {
    bus?.onStale((keys) => this.drop(keys));
  }

  get<T>(key: CacheKey, load: () => Promise<T>): Promise<T> {
    if (this.bus && !this.bus.live()) return load();
    const hit = this.values.get(key);
    if (hit && Date.now() - hit.at < this.maxAgeMs) {
      // A load still in flight is not shared: it runs on its caller's connection, and a caller inside a
      // transaction waiting for it would deadlock where that connection is the only one (PGlite) or the
      // pool is exhausted. This caller loads on its own connection instead (the values are equal).
      if (!hit.settled) {
        this.onRead('miss');
        return load();
      }
      this.onRead('hit');
      return hit.value as Promise<T>;
    }
    this.onRead('miss');
    const gen = this.generation.get(key) ?? 0;
    const value = load();
    const entry = { at: Date.now(), value, settled: false };
    this.values.set(key, entry);
    const forget = () => {
      if (this.values.get(key) === entry) this.values.delete(key);
    };
    value.then(() => {
      entry.settled = true;
      if ((this.generation.get(key) ?? 0) !== gen) forget();
    }, forget);
    return value;
  }

  /** Drops here, then everywhere else. */
  async invalidate(keys: CacheKey[]): Promise<void> {
    this.drop(keys);
    await this.bus?.publish(keys);
  }

  /**
   * The writer's own process drops what a committed `cache.stale` names at once (commit-watch calls this
   * before the writer's transaction call returns), so the writer reads its own change; every process,
   * this one again, drops it when the event is dispatched.
   */
  dropCommitted(events: { type: string; payload: unknown }[]): void {
    for (const e of events) {
      if (e.type !== 'cache.stale') continue;
      const keys = (e.payload as { keys?: unknown } | null)?.keys;
      if (Array.isArray(keys)) this.drop(keys.filter((k): k is CacheKey => (CACHE_KEYS as readonly unknown[]).includes(k)));
    }
  }

  drop(keys: CacheKey[] | null): void {
    for (const key of keys ?? [...this.values.keys(), ...this.generation.keys()]) {
      this.values.delete(key);
      this.generation.set(key, (this.generation.get(key) ?? 0) + 1);
    }
  }

  async close(): Promise<void> {
    await this.bus?.close();
  }
}

// Domain reads take a Db, often a transaction; every Kysely instance made from one database (its
// transactions too) shares the executor's adapter object, so that is what finds the cache. Several
// servers in one test process each get their own.
const attached = new WeakMap<object, ConfigCache>();
const keyOf = (db: Db) => db.getExecutor().adapter;

export function attachConfigCache(db: Db, cache: ConfigCache): void {
  attached.set(keyOf(db), cache);
}

/** The value under `key`, loaded by `load` when absent; read through when no cache is attached (CLI, unit tests). */
export function cached<T>(db: Db, key: CacheKey, load: () => Promise<T>): Promise<T> {
  const cache = attached.get(keyOf(db));
  return cache ? cache.get(key, load) : load();
}

export function configCacheOf(db: Db): ConfigCache | undefined {
  return attached.get(keyOf(db));
}
