import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { CACHE_KEYS, type CacheKey } from './cache-keys';
import type { CacheBus } from './config-cache';

const isKey = (k: unknown): k is CacheKey => typeof k === 'string' && (CACHE_KEYS as readonly string[]).includes(k);

/**
 * Invalidations between processes over Redis pub/sub. Pub/sub forgets messages sent while a subscriber
 * is disconnected, so while the subscriber is not ready the cache is read through, and when it is ready
 * again everything is dropped.
 */
export function redisCacheBus(url: string, prefix: string, logger: Logger): CacheBus {
  const channel = `${prefix}:cache.stale`;
  const publisher = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  const subscriber = new Redis(url, { maxRetriesPerRequest: null });
  const listeners: ((keys: CacheKey[] | null) => void)[] = [];
  let subscribed = false;
  const tell = (keys: CacheKey[] | null) => {
    for (const l of listeners) l(keys);
  };
  for (const client of [publisher, subscriber])
    client.on('error', (err: Error) => logger.debug({ err: err.message }, 'cache redis connection problem'));
  subscriber.on('ready', () => {
    subscriber
      .subscribe(channel)
      .then(() => {
        subscribed = true;
        tell(null);
      })
      .catch((err: Error) => logger.warn({ err: err.message }, 'cache invalidation subscribe failed'));
  });
  subscriber.on('close', () => {
    subscribed = false;
  });
  subscriber.on('message', (from: string, text: string) => {
    if (from !== channel) return;
    try {
      const keys = JSON.parse(text) as unknown;
      tell(Array.isArray(keys) ? keys.filter(isKey) : null);
    } catch {
      tell(null);
    }
  });
  return {
    live: () => subscribed && subscriber.status === 'ready',
    async publish(keys) {
      // A lost publish leaves other processes stale; they read through while their own link is down,
      // and a publish failing here while theirs is up is the case the log line is for.
      await publisher.publish(channel, JSON.stringify(keys)).catch((err: Error) => {
        logger.warn({ err: err.message, keys }, 'cache invalidation not published');
      });
    },
    onStale: (listener) => listeners.push(listener),
    async close() {
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
