import { cached } from '../../storage/cache/config-cache';
import type { Db } from '../../storage/db';

/**
 * Locales with published articles. Asked on every bot turn and help-center page, and a DISTINCT over
 * every translation is a full scan at 100,000 articles: cached, dropped when an article changes.
 */
export function publishedLocales(db: Db): Promise<string[]> {
  return cached(db, 'kb-locales', () =>
    db
      .selectFrom('kb_translations')
      .select('locale')
      .distinct()
      .where('status', '=', 'published')
      .orderBy('locale')
      .execute()
      .then((rows) => rows.map((r) => r.locale)),
  );
}
