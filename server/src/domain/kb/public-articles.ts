import { type KbFeedbackInput, notFound, type PublicArticle, type PublicArticleSummary } from '@autocrm/shared';
import type { z } from 'zod';
import type { Db } from '../../storage/db';
import { articlePath } from './search';

/** Published articles for the help center: the locale's text, else the default locale's. */
export async function listPublicArticles(
  db: Db,
  opts: { locale: string; defaultLocale: string; categoryId?: string | undefined; limit?: number },
): Promise<PublicArticleSummary[]> {
  const locales = [...new Set([opts.locale, opts.defaultLocale])];
  let q = db
    .selectFrom('kb_translations as t')
    .innerJoin('kb_articles as a', 'a.id', 't.article_id')
    .select(['a.id', 'a.slug', 'a.kind', 'a.category_id', 't.locale', 't.title', 't.body_text', 't.updated_at'])
    .where('t.status', '=', 'published')
    .where('t.locale', 'in', locales);
  if (opts.categoryId) q = q.where('a.category_id', '=', opts.categoryId);
  const rows = await q.orderBy('t.title').execute();
  const picked = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    const prev = picked.get(r.id);
    if (!prev || (r.locale === opts.locale && prev.locale !== opts.locale)) picked.set(r.id, r);
  }
  return [...picked.values()]
    .sort((a, b) => a.title.localeCompare(b.title))
    .slice(0, opts.limit ?? 500)
    .map((r) => ({
      id: r.id,
      slug: r.slug,
      kind: r.kind,
      locale: r.locale,
      title: r.title,
      excerpt: r.body_text.slice(0, 180),
      categoryId: r.category_id,
      updatedAt: r.updated_at.toISOString(),
      url: articlePath(r.locale, r.slug),
    }));
}

export type GetPublicArticleProps = { slug: string; locale: string; defaultLocale: string };

/** One published article by slug, in the asked locale or else the default one. */
export async function getPublicArticle(db: Db, { slug, locale, defaultLocale }: GetPublicArticleProps): Promise<PublicArticle> {
  const rows = await db
    .selectFrom('kb_translations as t')
    .innerJoin('kb_articles as a', 'a.id', 't.article_id')
    .leftJoin('kb_categories as c', 'c.id', 'a.category_id')
    .select([
      'a.id',
      'a.slug',
      'a.kind',
      't.locale',
      't.title',
      't.body_html',
      't.steps',
      't.updated_at',
      'c.id as category_id',
      'c.slug as category_slug',
      'c.translations as category_translations',
    ])
    .where('a.slug', '=', slug)
    .where('t.status', '=', 'published')
    .execute();
  const row = rows.find((r) => r.locale === locale) ?? rows.find((r) => r.locale === defaultLocale) ?? rows[0];
  if (!row) throw notFound(`article ${slug}`);
  const names = row.category_translations ?? {};
  return {
    id: row.id,
    slug: row.slug,
    kind: row.kind,
    locale: row.locale,
    title: row.title,
    bodyHtml: row.body_html,
    steps: row.steps,
    category:
      row.category_id && row.category_slug
        ? {
            id: row.category_id,
            slug: row.category_slug,
            name: names[row.locale]?.name ?? names[defaultLocale]?.name ?? row.category_slug,
          }
        : null,
    updatedAt: row.updated_at.toISOString(),
    locales: rows.map((r) => r.locale).sort(),
    url: articlePath(row.locale, row.slug),
  };
}

export type RecordFeedbackProps = { slug: string; input: z.output<typeof KbFeedbackInput> };

/** "Was this helpful?" from a reader; only published articles take feedback. Returns the vote's id. */
export async function recordFeedback(db: Db, { slug, input }: RecordFeedbackProps): Promise<number> {
  const a = await db
    .selectFrom('kb_articles as a')
    .innerJoin('kb_translations as t', 't.article_id', 'a.id')
    .select('a.id')
    .where('a.slug', '=', slug)
    .where('t.status', '=', 'published')
    .executeTakeFirst();
  if (!a) throw notFound(`article ${slug}`);
  const row = await db
    .insertInto('kb_feedback')
    .values({ article_id: a.id, locale: input.locale, helpful: input.helpful, comment: input.comment || null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export type CommentOnFeedbackProps = { id: number; comment: string };

/**
 * A comment on a vote just given ("what was missing?"), so it is one vote with a comment and not a
 * second vote. Only once, and only within an hour of the vote.
 */
export async function commentOnFeedback(db: Db, { id, comment }: CommentOnFeedbackProps): Promise<void> {
  const r = await db
    .updateTable('kb_feedback')
    .set({ comment })
    .where('id', '=', id)
    .where('comment', 'is', null)
    .where('created_at', '>', new Date(Date.now() - 3600_000))
    .executeTakeFirst();
  if (!r.numUpdatedRows) throw notFound(`feedback ${id}`);
}
