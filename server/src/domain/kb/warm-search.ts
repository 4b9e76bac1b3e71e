import { type KbSearchContext, searchKb } from './search';
import { searchConfigFor } from './search-language';

/**
 * Runs one search per search language on each of `connections` database connections at once. A
 * Postgres backend's first search loads the text search dictionaries (unaccent's rules, the Snowball
 * stemmers) and the catalog entries the statement plans with: 50-65 ms, against 7-10 ms on a backend
 * that has searched before. Done at start-up, so the first customers (and the bot's first token) do
 * not pay it; the pool keeps its connections long enough for this to last (storage/db.ts).
 */
export async function warmKbSearch(kb: KbSearchContext, props: { connections: number; locales: string[] }): Promise<void> {
  // One locale per search configuration: the dictionaries load per configuration, not per locale.
  const byConfig = new Map(props.locales.map((l) => [searchConfigFor(l), l]));
  const locales = [...new Set([kb.defaultLocale, ...byConfig.values()])];
  await Promise.all(
    Array.from({ length: props.connections }, () =>
      kb.db.connection().execute(async (db) => {
        for (const locale of locales)
          await searchKb({ ...kb, db, embedder: undefined }, { q: 'warm up search', locale, limit: 1 });
      }),
    ),
  );
}
