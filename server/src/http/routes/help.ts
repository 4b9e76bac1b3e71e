import type { IncomingMessage } from 'node:http';
import {
  Id,
  KbCategory,
  KbFeedbackInput,
  KbSearchQuery,
  KbSearchResult,
  Locale,
  PublicArticle,
  PublicArticleSummary,
  Slug,
} from '@autocrm/shared';
import { z } from 'zod';
import { recordArticleView } from '../../domain/kb/article-views';
import { listCategories } from '../../domain/kb/categories';
import { commentOnFeedback, getPublicArticle, listPublicArticles, recordFeedback } from '../../domain/kb/public-articles';
import { publishedLocales } from '../../domain/kb/published-locales';
import { searchKb } from '../../domain/kb/search';
import { clientAddress } from '../client-address';
import type { App, AppDeps } from '../context';
import { json, jsonBody, publicRoute } from '../openapi';

const LocaleQuery = z.object({ locale: Locale.optional() });

/**
 * The public help center's data: published articles only, no sign-in. The help center pages and the
 * widget (on customers' sites, hence CORS without credentials in app.ts) read these.
 */
export function helpRoutes(app: App, deps: AppDeps) {
  const { db } = deps;
  const def = deps.config.KB_DEFAULT_LOCALE;

  app.openapi(
    publicRoute({
      method: 'get',
      path: '/help/locales',
      tags: ['Help center'],
      summary: 'Locales with published articles, and the default one',
      responses: { 200: json(z.object({ default: z.string(), locales: z.array(z.string()) }), 'Locales') },
    }),
    async (c) => {
      const locales = [...new Set([def, ...(await publishedLocales(db))])];
      return c.json({ default: def, locales }, 200);
    },
  );
  app.openapi(
    publicRoute({
      method: 'get',
      path: '/help/categories',
      tags: ['Help center'],
      summary: 'Categories with the number of articles published in the locale',
      request: { query: LocaleQuery },
      responses: { 200: json(z.object({ data: z.array(KbCategory) }), 'Categories') },
    }),
    async (c) => c.json({ data: await listCategories(db, c.req.valid('query').locale ?? def) }, 200),
  );
  app.openapi(
    publicRoute({
      method: 'get',
      path: '/help/articles',
      tags: ['Help center'],
      summary: 'Published articles in a locale (default-locale text where untranslated)',
      request: { query: LocaleQuery.extend({ categoryId: Id.optional() }) },
      responses: { 200: json(z.object({ data: z.array(PublicArticleSummary) }), 'Articles') },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(
        { data: await listPublicArticles(db, { locale: q.locale ?? def, defaultLocale: def, categoryId: q.categoryId }) },
        200,
      );
    },
  );
  app.openapi(
    publicRoute({
      method: 'get',
      path: '/help/articles/{slug}',
      tags: ['Help center'],
      summary: 'A published article by slug',
      description:
        'Counts a view for the reports: once per reader (address and user agent, kept only as a hash with a salt of the day), article and UTC day; user agents saying bot, crawler or spider are not counted.',
      request: { params: z.object({ slug: Slug }), query: LocaleQuery },
      responses: { 200: json(PublicArticle, 'The article') },
    }),
    async (c) => {
      const article = await getPublicArticle(db, {
        slug: c.req.valid('param').slug,
        locale: c.req.valid('query').locale ?? def,
        defaultLocale: def,
      });
      // A view for the reports (the help center's page and the widget both read the article here). The
      // workspace's in-process call hands over the reader's own request, so it is their address and
      // browser. Counting never keeps a reader from the article.
      const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
      await recordArticleView(db, {
        articleId: article.id,
        address: clientAddress(c, deps.config.TRUST_PROXY),
        userAgent: incoming?.headers['user-agent'] ?? c.req.header('user-agent'),
        now: new Date(),
      }).catch((err) => deps.logger.warn({ err }, 'article view not counted'));
      return c.json(article, 200);
    },
  );
  app.openapi(
    publicRoute({
      method: 'get',
      path: '/help/search',
      tags: ['Help center'],
      summary: 'Search published articles',
      request: { query: KbSearchQuery },
      responses: { 200: json(KbSearchResult, 'Hits') },
    }),
    async (c) => c.json(await searchKb(deps.kb, c.req.valid('query')), 200),
  );
  app.openapi(
    publicRoute({
      method: 'post',
      path: '/help/articles/{slug}/feedback',
      tags: ['Help center'],
      summary: '"Was this helpful?"',
      request: { params: z.object({ slug: Slug }), body: jsonBody(KbFeedbackInput) },
      responses: { 201: json(z.object({ id: z.number().int() }), 'Stored; the id takes a comment within an hour') },
    }),
    async (c) => c.json({ id: await recordFeedback(db, { slug: c.req.valid('param').slug, input: c.req.valid('json') }) }, 201),
  );
  app.openapi(
    publicRoute({
      method: 'post',
      path: '/help/feedback/{id}/comment',
      tags: ['Help center'],
      summary: 'Add a comment to a vote just given (once, within an hour)',
      request: {
        params: z.object({ id: z.coerce.number().int().min(1) }),
        body: jsonBody(z.strictObject({ comment: z.string().trim().min(1).max(2000) })),
      },
      responses: { 204: { description: 'Stored' } },
    }),
    async (c) => {
      await commentOnFeedback(db, { id: c.req.valid('param').id, comment: c.req.valid('json').comment });
      return c.body(null, 204);
    },
  );
}
