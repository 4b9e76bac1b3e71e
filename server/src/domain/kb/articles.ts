import {
  AppError,
  type KbArticle,
  KbArticleCreate,
  type KbArticleUpdate,
  KbTranslationInput,
  notFound,
  validation,
} from '@autocrm/shared';
import type { z } from 'zod';
import { emit } from '../../events/outbox';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';
import { addToLexicon } from './lexicon';
import { renderArticleBody } from './render-body';
import { searchConfigFor } from './search-language';

type TranslationInput = z.output<typeof KbTranslationInput>;

const authorOf = (actor: Actor) => (actor.kind === 'user' ? actor.id : null);

/** Loads articles with every translation and their feedback counts, shaped for the API. */
export async function presentArticles(db: Db, ids: string[]): Promise<KbArticle[]> {
  if (!ids.length) return [];
  const [articles, translations, feedback] = await Promise.all([
    db.selectFrom('kb_articles').selectAll().where('id', 'in', ids).execute(),
    db
      .selectFrom('kb_translations as t')
      .leftJoin('users as u', 'u.id', 't.author_id')
      .select([
        't.article_id',
        't.locale',
        't.title',
        't.body_html',
        't.body_markdown',
        't.steps',
        't.keywords',
        't.status',
        't.version',
        't.author_id',
        'u.name as author_name',
        't.updated_at',
        't.published_at',
      ])
      .where('t.article_id', 'in', ids)
      .orderBy('t.locale')
      .execute(),
    db
      .selectFrom('kb_feedback')
      .select(['article_id', 'helpful', (eb) => eb.fn.countAll<number>().as('n')])
      .where('article_id', 'in', ids)
      .groupBy(['article_id', 'helpful'])
      .execute(),
  ]);
  const byId = new Map(articles.map((a) => [a.id, a]));
  return ids
    .map((id) => byId.get(id))
    .filter((a) => a !== undefined)
    .map((a) => ({
      id: a.id,
      slug: a.slug,
      kind: a.kind,
      categoryId: a.category_id,
      createdAt: a.created_at.toISOString(),
      updatedAt: a.updated_at.toISOString(),
      translations: translations
        .filter((t) => t.article_id === a.id)
        .map((t) => ({
          locale: t.locale,
          title: t.title,
          bodyHtml: t.body_html,
          bodyMarkdown: t.body_markdown,
          steps: t.steps,
          keywords: t.keywords,
          status: t.status,
          version: t.version,
          authorId: t.author_id,
          authorName: t.author_name,
          updatedAt: t.updated_at.toISOString(),
          publishedAt: t.published_at ? t.published_at.toISOString() : null,
        })),
      helpful: {
        yes: Number(feedback.find((f) => f.article_id === a.id && f.helpful)?.n ?? 0),
        no: Number(feedback.find((f) => f.article_id === a.id && !f.helpful)?.n ?? 0),
      },
    }));
}

export async function getArticle(db: Db, id: string): Promise<KbArticle> {
  const [a] = await presentArticles(db, [id]);
  if (!a) throw notFound(`article ${id}`);
  return a;
}

function checkKind(kind: 'article' | 'tutorial', input: TranslationInput) {
  if (kind === 'tutorial' && !input.steps?.length) throw validation('steps', 'a tutorial needs at least one step');
  if (kind === 'article' && input.steps?.length) throw validation('steps', 'only tutorials have steps');
}

/** Writes (insert or new version of) one locale's text, keeping the previous text as a version. */
async function writeTranslation(trx: Db, actor: Actor, articleId: string, locale: string, input: TranslationInput) {
  const { html, text } = renderArticleBody(input.body, input.format);
  const existing = await trx
    .selectFrom('kb_translations')
    .select(['id', 'version', 'published_at'])
    .where('article_id', '=', articleId)
    .where('locale', '=', locale)
    .forUpdate()
    .executeTakeFirst();
  const now = new Date();
  const keywords = input.keywords ?? [];
  const values = {
    title: input.title,
    body_markdown: input.format === 'markdown' ? input.body : null,
    body_html: html,
    body_text: text,
    steps: JSON.stringify(input.steps ?? null),
    keywords,
    keywords_text: keywords.join(' '),
    status: input.status,
    search_config: searchConfigFor(locale),
    author_id: authorOf(actor),
    updated_at: now,
    published_at: input.status === 'published' ? (existing?.published_at ?? now) : null,
  };
  const version = existing ? existing.version + 1 : 1;
  if (existing) {
    await trx
      .updateTable('kb_translations')
      .set({ ...values, version })
      .where('id', '=', existing.id)
      .execute();
  } else {
    await trx
      .insertInto('kb_translations')
      .values({ ...values, article_id: articleId, locale })
      .execute();
  }
  // Every saved text is a version, so an editor can see (and an admin can audit) what changed when.
  await trx
    .insertInto('kb_versions')
    .values({
      article_id: articleId,
      locale,
      version,
      title: input.title,
      body_markdown: values.body_markdown,
      body_html: html,
      steps: values.steps,
      status: input.status,
      author_id: authorOf(actor),
    })
    .execute();
  await trx.updateTable('kb_articles').set({ updated_at: now }).where('id', '=', articleId).execute();
  await addToLexicon(trx, `${input.title} ${keywords.join(' ')} ${text}`);
}

async function assertCategory(trx: Db, categoryId: string | null | undefined) {
  if (!categoryId) return;
  const c = await trx.selectFrom('kb_categories').select('id').where('id', '=', categoryId).executeTakeFirst();
  if (!c) throw validation('categoryId', 'unknown category');
}

export type CreateArticleProps = { actor: Actor; raw: KbArticleCreate };

export async function createArticle(db: Db, { actor, raw }: CreateArticleProps): Promise<KbArticle> {
  const input = KbArticleCreate.parse(raw);
  checkKind(input.kind, input);
  const id = await db.transaction().execute(async (trx) => {
    await assertCategory(trx, input.categoryId);
    const taken = await trx.selectFrom('kb_articles').select('id').where('slug', '=', input.slug).executeTakeFirst();
    if (taken) throw new AppError('conflict', `slug ${input.slug} is taken`, [{ path: 'slug', message: 'is taken' }]);
    const a = await trx
      .insertInto('kb_articles')
      .values({
        slug: input.slug,
        kind: input.kind,
        category_id: input.categoryId ?? null,
        created_by: authorOf(actor),
        updated_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeTranslation(trx, actor, a.id, input.locale, input);
    await recordAudit(trx, {
      actor,
      action: 'kb_article.created',
      entityType: 'kb_article',
      entityId: a.id,
      after: { slug: input.slug, locale: input.locale, status: input.status },
    });
    await emit(trx, 'kb.article_changed', { articleId: a.id });
    return a.id;
  });
  return getArticle(db, id);
}

export type SaveTranslationProps = { actor: Actor; articleId: string; locale: string; raw: z.input<typeof KbTranslationInput> };

/** Adds or revises the text in one locale (a translation); the previous text stays as a version. */
export async function saveTranslation(db: Db, { actor, articleId, locale, raw }: SaveTranslationProps): Promise<KbArticle> {
  const input = KbTranslationInput.parse(raw);
  await db.transaction().execute(async (trx) => {
    const a = await trx
      .selectFrom('kb_articles')
      .select(['id', 'kind'])
      .where('id', '=', articleId)
      .forUpdate()
      .executeTakeFirst();
    if (!a) throw notFound(`article ${articleId}`);
    checkKind(a.kind, input);
    await writeTranslation(trx, actor, articleId, locale, input);
    await recordAudit(trx, {
      actor,
      action: 'kb_article.translation_saved',
      entityType: 'kb_article',
      entityId: articleId,
      after: { locale, status: input.status, title: input.title },
    });
    await emit(trx, 'kb.article_changed', { articleId });
  });
  return getArticle(db, articleId);
}

export type UpdateArticleProps = { actor: Actor; id: string; input: z.output<typeof KbArticleUpdate> };

export async function updateArticle(db: Db, { actor, id, input }: UpdateArticleProps): Promise<KbArticle> {
  await db.transaction().execute(async (trx) => {
    const a = await trx.selectFrom('kb_articles').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!a) throw notFound(`article ${id}`);
    await assertCategory(trx, input.categoryId);
    if (input.slug && input.slug !== a.slug) {
      const taken = await trx.selectFrom('kb_articles').select('id').where('slug', '=', input.slug).executeTakeFirst();
      if (taken) throw new AppError('conflict', `slug ${input.slug} is taken`, [{ path: 'slug', message: 'is taken' }]);
    }
    await trx
      .updateTable('kb_articles')
      .set({
        ...(input.slug ? { slug: input.slug } : {}),
        ...(input.categoryId !== undefined ? { category_id: input.categoryId } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, {
      actor,
      action: 'kb_article.updated',
      entityType: 'kb_article',
      entityId: id,
      before: { slug: a.slug, categoryId: a.category_id },
      after: input,
    });
  });
  return getArticle(db, id);
}

export type DeleteArticleProps = { actor: Actor; id: string };

export async function deleteArticle(db: Db, { actor, id }: DeleteArticleProps): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const a = await trx.deleteFrom('kb_articles').where('id', '=', id).returning(['slug']).executeTakeFirst();
    if (!a) throw notFound(`article ${id}`);
    await recordAudit(trx, { actor, action: 'kb_article.deleted', entityType: 'kb_article', entityId: id, before: a });
  });
}

export interface ArticleListFilter {
  categoryId?: string | undefined;
  status?: 'draft' | 'published' | undefined;
  q?: string | undefined;
}

/** Every article for the editors' list, newest change first. */
export async function listArticles(db: Db, filter: ArticleListFilter = {}): Promise<KbArticle[]> {
  let q = db.selectFrom('kb_articles as a').select('a.id').orderBy('a.updated_at', 'desc').limit(500);
  if (filter.categoryId) q = q.where('a.category_id', '=', filter.categoryId);
  if (filter.status)
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('kb_translations as t')
          .select('t.id')
          .whereRef('t.article_id', '=', 'a.id')
          .where('t.status', '=', filter.status as 'draft' | 'published'),
      ),
    );
  const like = filter.q ? `%${filter.q.replace(/[%_\\]/g, '\\$&')}%` : undefined;
  if (like)
    q = q.where((eb) =>
      eb.or([
        eb('a.slug', 'ilike', like),
        eb.exists(
          eb
            .selectFrom('kb_translations as t')
            .select('t.id')
            .whereRef('t.article_id', '=', 'a.id')
            .where('t.title', 'ilike', like),
        ),
      ]),
    );
  const rows = await q.execute();
  return presentArticles(
    db,
    rows.map((r) => r.id),
  );
}

export async function listVersions(db: Db, articleId: string) {
  const rows = await db
    .selectFrom('kb_versions')
    .selectAll()
    .where('article_id', '=', articleId)
    .orderBy('locale')
    .orderBy('version', 'desc')
    .execute();
  return rows.map((v) => ({
    version: v.version,
    locale: v.locale,
    title: v.title,
    bodyHtml: v.body_html,
    status: v.status,
    authorId: v.author_id,
    createdAt: v.created_at.toISOString(),
  }));
}
