import type { EventListener } from '../events/listener';
import { CACHE_KEYS, type CacheKey } from '../storage/cache/cache-keys';
import { configCacheOf } from '../storage/cache/config-cache';
import type { ListenerContext } from './context';

const isKey = (k: string): k is CacheKey => (CACHE_KEYS as readonly string[]).includes(k);

/**
 * Cached configuration changed: drop it in every process (the cache tells the others over Redis).
 * New published article text may add a help-center language, so that drops the locale list too.
 */
export function dropStaleCache(ctx: ListenerContext): EventListener {
  return {
    name: 'drop-stale-cache',
    events: ['cache.stale', 'kb.article_changed'],
    afterCommit: async (event) => {
      const keys: CacheKey[] =
        event.type === 'cache.stale' ? (event.data as { keys: string[] }).keys.filter(isKey) : ['kb-locales'];
      await configCacheOf(ctx.db)?.invalidate(keys);
    },
  };
}
