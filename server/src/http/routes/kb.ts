import {
  Id,
  KbArticle,
  KbArticleCreate,
  KbArticleUpdate,
  KbCategory,
  KbCategoryInput,
  KbGap,
  KbSearchQuery,
  KbSearchResult,
  KbStatus,
  KbTranslationInput,
  KbVersion,
  Locale,
} from '@autocrm/shared';
import { z } from 'zod';
import {
  createArticle,
  deleteArticle,
  getArticle,
  listArticles,
  listVersions,
  saveTranslation,
  updateArticle,
} from '../../domain/kb/articles';
import { createCategory, deleteCategory, listCategories, updateCategory } from '../../domain/kb/categories';
import { dismissGap, draftArticleFromGap, listGaps } from '../../domain/kb/gaps';
import { searchKb } from '../../domain/kb/search';
import { actorOf } from '../actor-of';
import type { App, AppDeps } from '../context';
import { json, jsonBody, secured } from '../openapi';
import { kbSynonymRoutes } from './kb-synonyms';

const IdParam = z.object({ id: Id });
const list = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item) });

/** Managing the knowledge base: reading is for every agent (kb:read), writing for editors (kb:write). */
export function kbRoutes(app: App, deps: AppDeps) {
  const { db } = deps;
  const kb = () => deps.kb;
  kbSynonymRoutes(app, deps);

  app.openapi(
    secured('kb:read', {
      method: 'get',
      path: '/kb/categories',
      tags: ['Knowledge base'],
      summary: 'List categories with article counts',
      responses: { 200: json(list(KbCategory), 'Categories') },
    }),
    async (c) => c.json({ data: await listCategories(db) }, 200),
  );
  app.openapi(
    secured('kb:write', {
      method: 'post',
      path: '/kb/categories',
      tags: ['Knowledge base'],
      summary: 'Create a category',
      request: { body: jsonBody(KbCategoryInput) },
      responses: { 201: json(KbCategory, 'The new category') },
    }),
    async (c) => c.json(await createCategory(db, { actor: actorOf(c), raw: c.req.valid('json') }), 201),
  );
  app.openapi(
    secured('kb:write', {
      method: 'put',
      path: '/kb/categories/{id}',
      tags: ['Knowledge base'],
      summary: 'Replace a category',
      request: { params: IdParam, body: jsonBody(KbCategoryInput) },
      responses: { 200: json(KbCategory, 'The category') },
    }),
    async (c) =>
      c.json(await updateCategory(db, { actor: actorOf(c), id: c.req.valid('param').id, raw: c.req.valid('json') }), 200),
  );
  app.openapi(
    secured('kb:write', {
      method: 'delete',
      path: '/kb/categories/{id}',
      tags: ['Knowledge base'],
      summary: 'Delete a category (its articles stay, uncategorized)',
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' } },
    }),
    async (c) => {
      await deleteCategory(db, { actor: actorOf(c), id: c.req.valid('param').id });
      return c.body(null, 204);
    },
  );

  app.openapi(
    secured('kb:read', {
      method: 'get',
      path: '/kb/articles',
      tags: ['Knowledge base'],
      summary: 'List articles (drafts included) with every translation',
      request: {
        query: z.object({ categoryId: Id.optional(), status: KbStatus.optional(), q: z.string().max(200).optional() }),
      },
      responses: { 200: json(list(KbArticle), 'Articles') },
    }),
    async (c) => c.json({ data: await listArticles(db, c.req.valid('query')) }, 200),
  );
  app.openapi(
    secured('kb:write', {
      method: 'post',
      path: '/kb/articles',
      tags: ['Knowledge base'],
      summary: 'Create an article (or tutorial) with its first translation',
      request: { body: jsonBody(KbArticleCreate) },
      responses: { 201: json(KbArticle, 'The new article') },
    }),
    async (c) => {
      const a = await createArticle(db, { actor: actorOf(c), raw: c.req.valid('json') });
      return c.json(a, 201);
    },
  );
  app.openapi(
    secured('kb:read', {
      method: 'get',
      path: '/kb/articles/{id}',
      tags: ['Knowledge base'],
      summary: 'Get an article with every translation',
      request: { params: IdParam },
      responses: { 200: json(KbArticle, 'The article') },
    }),
    async (c) => c.json(await getArticle(db, c.req.valid('param').id), 200),
  );
  app.openapi(
    secured('kb:write', {
      method: 'patch',
      path: '/kb/articles/{id}',
      tags: ['Knowledge base'],
      summary: 'Change slug or category',
      request: { params: IdParam, body: jsonBody(KbArticleUpdate) },
      responses: { 200: json(KbArticle, 'The article') },
    }),
    async (c) =>
      c.json(await updateArticle(db, { actor: actorOf(c), id: c.req.valid('param').id, input: c.req.valid('json') }), 200),
  );
  app.openapi(
    secured('kb:write', {
      method: 'delete',
      path: '/kb/articles/{id}',
      tags: ['Knowledge base'],
      summary: 'Delete an article with its translations and versions',
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' } },
    }),
    async (c) => {
      await deleteArticle(db, { actor: actorOf(c), id: c.req.valid('param').id });
      return c.body(null, 204);
    },
  );
  app.openapi(
    secured('kb:write', {
      method: 'put',
      path: '/kb/articles/{id}/translations/{locale}',
      tags: ['Knowledge base'],
      summary: 'Add or revise the text in one locale (the previous text is kept as a version)',
      request: { params: z.object({ id: Id, locale: Locale }), body: jsonBody(KbTranslationInput) },
      responses: { 200: json(KbArticle, 'The article') },
    }),
    async (c) => {
      const { id, locale } = c.req.valid('param');
      const a = await saveTranslation(db, { actor: actorOf(c), articleId: id, locale, raw: c.req.valid('json') });
      return c.json(a, 200);
    },
  );
  app.openapi(
    secured('kb:read', {
      method: 'get',
      path: '/kb/articles/{id}/versions',
      tags: ['Knowledge base'],
      summary: 'Every saved version of every translation, newest first',
      request: { params: IdParam },
      responses: { 200: json(list(KbVersion), 'Versions') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await getArticle(db, id);
      return c.json({ data: await listVersions(db, id) }, 200);
    },
  );
  app.openapi(
    secured('kb:read', {
      method: 'get',
      path: '/kb/search',
      tags: ['Knowledge base'],
      summary: 'Search published articles (ranked, with highlighted snippets)',
      request: { query: KbSearchQuery },
      responses: { 200: json(KbSearchResult, 'Hits') },
    }),
    async (c) => c.json(await searchKb(kb(), c.req.valid('query')), 200),
  );

  app.openapi(
    secured('kb:read', {
      method: 'get',
      path: '/kb/gaps',
      tags: ['Knowledge base'],
      summary: 'Questions the bot could not answer, grouped, most asked first',
      responses: { 200: json(list(KbGap), 'Gaps') },
    }),
    async (c) => c.json({ data: await listGaps(db) }, 200),
  );
  app.openapi(
    secured('kb:write', {
      method: 'post',
      path: '/kb/gaps/{id}/draft',
      tags: ['Knowledge base'],
      summary: 'Turn a gap into a draft article',
      request: { params: IdParam },
      responses: { 201: json(KbArticle, 'The draft article') },
    }),
    async (c) =>
      c.json(
        await draftArticleFromGap(db, {
          actor: actorOf(c),
          id: c.req.valid('param').id,
          defaultLocale: deps.config.KB_DEFAULT_LOCALE,
        }),
        201,
      ),
  );
  app.openapi(
    secured('kb:write', {
      method: 'post',
      path: '/kb/gaps/{id}/dismiss',
      tags: ['Knowledge base'],
      summary: 'Hide a gap from the report',
      request: { params: IdParam },
      responses: { 204: { description: 'Dismissed' } },
    }),
    async (c) => {
      await dismissGap(db, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
}
