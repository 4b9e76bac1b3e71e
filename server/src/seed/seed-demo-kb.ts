import { SAMPLE_ARTICLES, SAMPLE_CATEGORIES } from '../../../db/kb-sample/sample-kb';
import { SYSTEM } from '../domain/actor';
import { createArticle, saveTranslation } from '../domain/kb/articles';
import { createCategory } from '../domain/kb/categories';
import type { Db } from '../storage/db';

/**
 * Loads the sample knowledge base (English and German) through the same commands the API uses.
 * Used by the demo workspace (once, marked in settings) and by the search evaluation.
 */
export async function loadSampleKb(db: Db, opts: { keywords?: boolean } = {}): Promise<{ articles: number }> {
  // The evaluation strips the hand-written keywords: real help centers rarely have them.
  const strip = <T extends { keywords?: string[] | undefined }>(t: T): T =>
    opts.keywords === false ? { ...t, keywords: [] } : t;
  const categoryIds = new Map<string, string>();
  for (const c of SAMPLE_CATEGORIES) categoryIds.set(c.slug, (await createCategory(db, { actor: SYSTEM, raw: c })).id);
  for (const a of SAMPLE_ARTICLES) {
    const en = strip(a.translations.en);
    const de = strip(a.translations.de);
    const created = await createArticle(db, {
      actor: SYSTEM,
      raw: {
        slug: a.slug,
        kind: a.kind ?? 'article',
        categoryId: categoryIds.get(a.category) ?? null,
        locale: 'en',
        ...en,
        format: 'markdown',
        status: 'published',
      },
    });
    await saveTranslation(db, {
      actor: SYSTEM,
      articleId: created.id,
      locale: 'de',
      raw: { ...de, format: 'markdown', status: 'published' },
    });
  }
  return { articles: SAMPLE_ARTICLES.length };
}

/** The demo's knowledge base, added once (also to a demo database made before the knowledge base existed). */
export async function seedDemoKb(db: Db): Promise<void> {
  const marker = await db.selectFrom('settings').select('key').where('key', '=', 'demo_kb').executeTakeFirst();
  if (marker) return;
  const any = await db.selectFrom('kb_articles').select('id').limit(1).executeTakeFirst();
  if (!any) await loadSampleKb(db);
  await db
    .insertInto('settings')
    .values({ key: 'demo_kb', value: JSON.stringify(true), updated_at: new Date() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}
