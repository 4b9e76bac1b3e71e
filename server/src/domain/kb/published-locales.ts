import type { Db } from '../../storage/db';

const TTL_MS = 30_000;
const cache = new WeakMap<Db, { at: number; locales: Promise<string[]> }>();

/**
 * Locales with published articles. Asked on every bot turn and help-center page, and a DISTINCT over
 * every translation is a full scan at 100,000 articles: remembered for 30 s per database (a new
 * language showing up half a minute late is fine).
 */
export function publishedLocales(db: Db): Promise<string[]> {
  const hit = cache.get(db);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.locales;
  const locales = db
    .selectFrom('kb_translations')
    .select('locale')
    .distinct()
    .where('status', '=', 'published')
    .orderBy('locale')
    .execute()
    .then((rows) => rows.map((r) => r.locale));
  cache.set(db, { at: Date.now(), locales });
  locales.catch(() => cache.delete(db));
  return locales;
}
