import { AppError, PushPublicKey, PushSubscriptionInput, WidgetAnnouncement } from '@autocrm/shared';
import { OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { Hono } from 'hono';
import { cors } from 'hono/cors';
import { z } from 'zod';
import { announcementsForContact, dismissAnnouncement } from '../../domain/notifications/announcements';
import { getCustomerNotificationPrefs, setCustomerNotificationPrefs } from '../../domain/notifications/customer-prefs';
import { loadVapidKeys, savePushSubscription } from '../../domain/notifications/web-push';
import { resolveVisitor } from '../../domain/widget/visitors';
import type { AppDeps, AppEnv } from '../context';
import { fromZod } from '../errors';
import { noPrototypeKeys } from '../middleware/safe-input';
import { json, jsonBody, publicRoute } from '../openapi';

const widgetRoute = <const R extends RouteConfig>(route: R): R =>
  publicRoute({ ...route, tags: ['Widget'], servers: [{ url: '/' }] });

const Token = z.string().min(1).max(200);
const VisitorAuth = { websiteToken: Token, visitorToken: Token };
const WidgetPushSubscribe = z
  .strictObject({ ...VisitorAuth, subscription: PushSubscriptionInput })
  .meta({ id: 'WidgetPushSubscribe' });
const WidgetVisitorAuth = z.strictObject(VisitorAuth).meta({ id: 'WidgetVisitorAuth' });
// The browser's language rides along: the page-context report that stores it is fire-and-forget and may land
// after this request, so a first visit would otherwise miss every language-segmented announcement.
const WidgetAnnouncementsRequest = z
  .strictObject({ ...VisitorAuth, language: z.string().min(2).max(35).optional() })
  .meta({ id: 'WidgetAnnouncementsRequest' });
const Ok = z.object({ ok: z.literal(true) });

/**
 * The widget's notification endpoints: opting in to Web Push on this device, and the proactive
 * messages (announcements) to show as cards. Tokens in the body, open CORS, no credentials.
 */
export function widgetNotificationRoutes(root: Hono<AppEnv>, deps: AppDeps) {
  const { db } = deps;
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw fromZod(result.error);
      return undefined;
    },
  });
  for (const p of ['/widget-api/v1/push/*', '/widget-api/v1/announcements', '/widget-api/v1/announcements/*'])
    app.use(
      p,
      cors({ origin: '*', allowMethods: ['GET', 'POST'], allowHeaders: ['content-type'], credentials: false }),
      noPrototypeKeys(),
    );
  const visitorOf = async (p: { websiteToken: string; visitorToken: string }) => {
    const visitor = await resolveVisitor(db, p);
    if (!visitor) throw new AppError('unauthenticated', 'unknown visitor for this website');
    return visitor;
  };

  app.openapi(
    widgetRoute({
      method: 'get',
      path: '/widget-api/v1/push/key',
      operationId: 'getWidgetPushKey',
      summary: 'The Web Push application server key (for the widget to subscribe with)',
      responses: { 200: json(PushPublicKey, 'The VAPID public key') },
    }),
    async (c) => c.json({ publicKey: (await loadVapidKeys(db)).publicKey }, 200),
  );

  app.openapi(
    widgetRoute({
      method: 'post',
      path: '/widget-api/v1/push/subscribe',
      operationId: 'subscribeWidgetPush',
      summary: 'A visitor opts in to push notifications on this device',
      description: "Stores the browser's PushSubscription for the visitor's contact and turns push on in their preferences.",
      request: { body: jsonBody(WidgetPushSubscribe) },
      responses: { 200: json(Ok, 'Stored') },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const visitor = await visitorOf(input);
      await savePushSubscription(db, { owner: { contactId: visitor.contactId }, input: input.subscription });
      if (!(await getCustomerNotificationPrefs(db, { contactId: visitor.contactId })).push)
        await setCustomerNotificationPrefs(db, { contactId: visitor.contactId, push: true });
      return c.json({ ok: true as const }, 200);
    },
  );

  app.openapi(
    widgetRoute({
      method: 'post',
      path: '/widget-api/v1/announcements',
      operationId: 'listWidgetAnnouncements',
      summary: 'The announcements to show this visitor',
      description: 'Active announcements whose segment the contact matches and that they have not dismissed; marks them shown.',
      request: { body: jsonBody(WidgetAnnouncementsRequest) },
      responses: { 200: json(z.object({ data: z.array(WidgetAnnouncement) }), 'Cards to show, newest first') },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const visitor = await visitorOf(body);
      const data = await announcementsForContact(db, {
        contactId: visitor.contactId,
        inboxId: visitor.inboxId,
        language: body.language,
      });
      return c.json({ data }, 200);
    },
  );

  app.openapi(
    widgetRoute({
      method: 'post',
      path: '/widget-api/v1/announcements/{id}/dismiss',
      operationId: 'dismissWidgetAnnouncement',
      summary: 'The visitor closed an announcement card',
      request: { params: z.object({ id: z.uuid() }), body: jsonBody(WidgetVisitorAuth) },
      responses: { 200: json(Ok, 'Not shown again') },
    }),
    async (c) => {
      const visitor = await visitorOf(c.req.valid('json'));
      await dismissAnnouncement(db, { contactId: visitor.contactId, announcementId: c.req.valid('param').id });
      return c.json({ ok: true as const }, 200);
    },
  );

  root.route('/', app);
  return app.openAPIRegistry;
}
