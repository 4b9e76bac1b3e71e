import {
  AppError,
  VisitorInfo,
  WidgetConfig,
  WidgetConfigQuery,
  WidgetContextInput,
  WidgetCsat,
  WidgetCsatInput,
  WidgetProfileUpdate,
  WidgetSuggestions,
  WidgetSuggestionsRequest,
  WidgetVisitor,
  WidgetVisitorCreate,
} from '@autocrm/shared';
import { OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { z } from 'zod';
import { inboxMemberIds } from '../../domain/admin/inbox-members';
import { suggestArticles } from '../../domain/kb/suggestions';
import { assertStorableText } from '../../domain/text/storable-text';
import { rateConversation } from '../../domain/widget/csat';
import { createWidgetVisitor, updateVisitorProfile } from '../../domain/widget/identify-visitor';
import { inboxByWebsiteToken, publicConfig } from '../../domain/widget/settings';
import { recordVisitorInfo } from '../../domain/widget/visitor-info';
import { resolveVisitor } from '../../domain/widget/visitors';
import { clientAddress } from '../client-address';
import type { AppDeps, AppEnv } from '../context';
import { fromZod } from '../errors';
import { noPrototypeKeys } from '../middleware/safe-input';
import { json, jsonBody, publicRoute } from '../openapi';

/**
 * A widget operation as the document shows it: public and tagged. These live at the site's root, not
 * under the document's /api/v1 server, so each names the root as its server and carries its full path.
 */
const widgetRoute = <const R extends RouteConfig>(route: R): R =>
  publicRoute({ ...route, tags: ['Widget'], servers: [{ url: '/' }] });

/**
 * The widget's few HTTP endpoints. They run on customers' websites, so CORS is open to any origin, but
 * never with credentials: these endpoints take tokens in the body, not cookies. Declared as OpenAPI
 * routes (schemas in shared/src/schemas/widget-api.ts); the returned registry's operations go into the
 * API document beside REST API v1 (app.ts).
 */
export function widgetApiRoutes(root: Hono<AppEnv>, deps: AppDeps) {
  const { db } = deps;
  const app = new OpenAPIHono<AppEnv>({
    // As in API v1: a validation failure is one 400 naming each bad field; the handler never runs.
    defaultHook: (result) => {
      if (!result.success) throw fromZod(result.error);
      assertStorableText(result.data);
      return undefined;
    },
  });
  app.use(
    '/widget-api/*',
    cors({ origin: '*', allowMethods: ['GET', 'POST'], allowHeaders: ['content-type'], credentials: false }),
  );
  app.use(
    '/widget-api/*',
    bodyLimit({
      maxSize: 16 * 1024,
      onError: () => {
        throw new AppError('payload_too_large', 'request body is too large');
      },
    }),
  );
  app.use('/widget-api/*', noPrototypeKeys());
  const visitorOf = async (p: { websiteToken: string; visitorToken: string }) => {
    const visitor = await resolveVisitor(db, p);
    if (!visitor) throw new AppError('unauthenticated', 'unknown visitor for this website');
    return visitor;
  };

  app.openapi(
    widgetRoute({
      method: 'post',
      path: '/widget-api/v1/visitors',
      summary: 'Start a widget visitor',
      description:
        "Creates the visitor (and its contact) for a website; with `user`, the site's signed-in user, verified by its hash or token.",
      request: { body: jsonBody(WidgetVisitorCreate) },
      responses: { 201: json(WidgetVisitor, 'The visitor token to send with every later call') },
    }),
    async (c) => {
      const input = c.req.valid('json');
      await deps.rateLimits.visitors.spend(clientAddress(c, deps.config.TRUST_PROXY));
      const visitor = await createWidgetVisitor(db, input);
      return c.json({ visitorToken: visitor.visitorToken, contactId: visitor.contactId, verified: visitor.verified }, 201);
    },
  );

  app.openapi(
    widgetRoute({
      method: 'get',
      path: '/widget-api/v1/config',
      summary: 'Get the widget configuration',
      request: { query: WidgetConfigQuery },
      responses: { 200: json(WidgetConfig, "The website's public widget settings and how many agents are online") },
    }),
    async (c) => {
      const inbox = await inboxByWebsiteToken(db, c.req.valid('query').websiteToken);
      let online = 0;
      const everyone = await deps.presence?.all().catch(() => undefined);
      if (everyone?.size) {
        const members = await inboxMemberIds(db, { inboxId: inbox.id });
        online = members.filter((id) => everyone.get(id)?.status === 'online').length;
      }
      c.header('Cache-Control', 'no-store');
      return c.json(publicConfig({ inbox, agentsOnline: online, locale: c.req.query('locale') }), 200);
    },
  );

  // The page and browser the widget runs in, sent when it starts: the agent's contact card shows them.
  app.openapi(
    widgetRoute({
      method: 'post',
      path: '/widget-api/v1/context',
      summary: "Report the widget visitor's page and browser",
      request: { body: jsonBody(WidgetContextInput) },
      responses: { 200: json(VisitorInfo, 'What the contact card now shows') },
    }),
    async (c) => {
      const { websiteToken, visitorToken, ...info } = c.req.valid('json');
      const visitor = await visitorOf({ websiteToken, visitorToken });
      return c.json(await recordVisitorInfo(db, { visitor, info, userAgent: c.req.header('user-agent') ?? '' }), 200);
    },
  );

  app.openapi(
    widgetRoute({
      method: 'post',
      path: '/widget-api/v1/profile',
      summary: "Update the widget visitor's name, email or attributes",
      request: { body: jsonBody(WidgetProfileUpdate) },
      responses: { 200: json(z.object({ ok: z.literal(true) }), 'Saved') },
    }),
    async (c) => {
      const { websiteToken, visitorToken, ...profile } = c.req.valid('json');
      await updateVisitorProfile(db, { visitor: await visitorOf({ websiteToken, visitorToken }), ...profile });
      return c.json({ ok: true as const }, 200);
    },
  );

  // Articles for the help view before the visitor types: related to the page and to past conversations.
  app.openapi(
    widgetRoute({
      method: 'post',
      path: '/widget-api/v1/help/suggestions',
      summary: 'Suggest help articles for the widget visitor',
      description: "Published articles related to the visitor's page and past conversations, before they type.",
      request: { body: jsonBody(WidgetSuggestionsRequest) },
      responses: { 200: json(WidgetSuggestions, 'Up to five articles') },
    }),
    async (c) => {
      const { websiteToken, visitorToken, pageUrl, pageTitle, locale } = c.req.valid('json');
      await inboxByWebsiteToken(db, websiteToken);
      const visitor = visitorToken ? await resolveVisitor(db, { websiteToken, visitorToken }) : null;
      const hits = await suggestArticles(deps.kb, {
        locale: (locale ?? deps.config.KB_DEFAULT_LOCALE).slice(0, 2),
        pageUrl,
        pageTitle,
        contactId: visitor?.contactId ?? null,
      });
      return c.json({ hits }, 200);
    },
  );

  app.openapi(
    widgetRoute({
      method: 'post',
      path: '/widget-api/v1/csat',
      summary: 'Rate a resolved conversation from the widget',
      request: { body: jsonBody(WidgetCsatInput) },
      responses: { 200: json(WidgetCsat, 'The stored rating') },
    }),
    async (c) => {
      const { websiteToken, visitorToken, ...rating } = c.req.valid('json');
      return c.json(await rateConversation(db, { visitor: await visitorOf({ websiteToken, visitorToken }), ...rating }), 200);
    },
  );

  root.route('/', app);
  return app.openAPIRegistry;
}
