import { AppError, PortalTicket, PortalTicketDetail } from '@autocrm/shared';
import { OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { Hono } from 'hono';
import { cors } from 'hono/cors';
import { z } from 'zod';
import { getPortalTicket, listPortalTickets } from '../../domain/portal/tickets';
import { resolveVisitor } from '../../domain/widget/visitors';
import type { AppDeps, AppEnv } from '../context';
import { fromZod } from '../errors';
import { noPrototypeKeys } from '../middleware/safe-input';
import { json, jsonBody, publicRoute } from '../openapi';

const widgetRoute = <const R extends RouteConfig>(route: R): R =>
  publicRoute({ ...route, tags: ['Widget'], servers: [{ url: '/' }] });

const Token = z.string().min(1).max(200);
const WidgetTicketsRequest = z.strictObject({ websiteToken: Token, visitorToken: Token }).meta({ id: 'WidgetTicketsRequest' });

/**
 * The visitor's contact's tickets on every channel and in every inbox, as the customer portal lists
 * them (the same domain functions, so the widget's past conversations and the portal cannot differ).
 * The widget chats live only in its own website's conversations (the socket's conversation:list); the
 * others it shows read-only from here. Who the contact is was settled when the visitor token was
 * issued: a verified (HMAC/JWT) user is their contact, an anonymous visitor a contact of their own.
 */
export function widgetTicketRoutes(root: Hono<AppEnv>, { db }: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw fromZod(result.error);
      return undefined;
    },
  });
  for (const p of ['/widget-api/v1/tickets', '/widget-api/v1/tickets/*'])
    app.use(
      p,
      cors({ origin: '*', allowMethods: ['POST'], allowHeaders: ['content-type'], credentials: false }),
      noPrototypeKeys(),
    );
  const contactOf = async (p: { websiteToken: string; visitorToken: string }) => {
    const visitor = await resolveVisitor(db, p);
    if (!visitor) throw new AppError('unauthenticated', 'unknown visitor for this website');
    return { contactId: visitor.contactId };
  };

  app.openapi(
    widgetRoute({
      method: 'post',
      path: '/widget-api/v1/tickets',
      operationId: 'listWidgetTickets',
      summary: "The visitor's tickets on every channel",
      description:
        "Every conversation of the visitor's contact, in any inbox and on any channel (email, portal, this website ...), newest activity first: the list the customer portal shows.",
      request: { body: jsonBody(WidgetTicketsRequest) },
      responses: { 200: json(z.object({ data: z.array(PortalTicket) }), 'The tickets') },
    }),
    async (c) => c.json({ data: await listPortalTickets(db, await contactOf(c.req.valid('json'))) }, 200),
  );

  app.openapi(
    widgetRoute({
      method: 'post',
      path: '/widget-api/v1/tickets/{id}',
      operationId: 'getWidgetTicket',
      summary: "One of the visitor's tickets with its public history",
      description:
        "A conversation of the visitor's contact on any channel, to read in the widget: public messages only (no internal notes, nothing deleted). Another contact's conversation is not_found.",
      request: { params: z.object({ id: z.uuid() }), body: jsonBody(WidgetTicketsRequest) },
      responses: { 200: json(PortalTicketDetail, 'The ticket and its messages') },
    }),
    async (c) => {
      const { contactId } = await contactOf(c.req.valid('json'));
      return c.json(await getPortalTicket(db, { contactId, conversationId: c.req.valid('param').id }), 200);
    },
  );

  root.route('/', app);
  return app.openAPIRegistry;
}
