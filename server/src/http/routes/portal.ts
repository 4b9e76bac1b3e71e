import {
  AppError,
  AttachmentInput,
  ErrorResponse,
  PortalBranding,
  PortalField,
  PortalIdentitySignIn,
  PortalLinkRedeem,
  PortalLinkRequest,
  PortalLinkRequested,
  PortalLiveToken,
  PortalMe,
  PortalNotificationPrefs,
  PortalPasswordSet,
  PortalPasswordSignIn,
  PortalProfileUpdate,
  PortalRating,
  PortalReply,
  PortalSession,
  PortalSettings,
  PortalSettingsUpdate,
  PortalTicket,
  PortalTicketCreate,
  PortalTicketDetail,
  PushPublicKey,
  PushSubscriptionInput,
} from '@autocrm/shared';
import { createRoute, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { getCustomerNotificationPrefs, setCustomerNotificationPrefs } from '../../domain/notifications/customer-prefs';
import { loadVapidKeys, removePushSubscription, savePushSubscription } from '../../domain/notifications/web-push';
import { getPortalBranding, getPortalLogo, getPortalSettings, updatePortalSettings } from '../../domain/portal/branding';
import { portalLiveToken } from '../../domain/portal/live-token';
import { getPortalProfile, updatePortalProfile } from '../../domain/portal/profile';
import { endAllPortalSessions, endPortalSession, type PortalCustomer, resolvePortalSession } from '../../domain/portal/sessions';
import {
  PORTAL_LINK_ANSWER,
  redeemPortalLink,
  removePortalPassword,
  requestPortalLink,
  setPortalPassword,
  signInWithIdentity,
  signInWithPortalPassword,
} from '../../domain/portal/sign-in';
import {
  closePortalTicket,
  createPortalTicket,
  getPortalTicket,
  listPortalTickets,
  portalTicketFields,
  ratePortalTicket,
  replyAsCustomer,
} from '../../domain/portal/tickets';
import { assertStorableText } from '../../domain/text/storable-text';
import { bindAttachments, checkAttachments, storeUploadStream } from '../../domain/widget/uploads';
import { uploadStoreFor } from '../../storage/uploads/select-store';
import { actorOf } from '../actor-of';
import { clientAddress } from '../client-address';
import { clientInfo } from '../client-info';
import type { App, AppDeps, AppEnv } from '../context';
import { fromZod } from '../errors';
import { json, jsonBody, secured } from '../openapi';
import { readUploadedFile, UploadBody } from '../read-uploaded-file';

/** The header a portal call carries its customer session in (never a cookie: no CSRF, no agent cookie). */
export const PORTAL_SESSION_HEADER = 'x-portal-session';

type PortalEnv = { Variables: AppEnv['Variables'] & { customer: PortalCustomer } };

const error = (description: string) => ({ description, content: { 'application/json': { schema: ErrorResponse } } });
const ERRORS = {
  400: error('Invalid input; nothing was stored'),
  401: error('No portal session, or it ended'),
  404: error('Not found (or not this customer’s)'),
  429: error('Too many requests'),
};

const ok = z.object({ ok: z.literal(true) });
const TicketId = z.object({ id: z.uuid() });

/**
 * The customer portal's API. Every operation is tagged "Portal"; the signed-in ones need a portal
 * session (`X-Portal-Session`, from a sign-in below), resolved here to the customer's contact. A
 * customer is never an agent actor: agent operations see no session and answer 401.
 */
export function portalRoutes(api: App, deps: AppDeps) {
  const { db, config } = deps;
  const dir = uploadStoreFor(config);
  const app = new OpenAPIHono<PortalEnv>({
    defaultHook: (result) => {
      if (!result.success) throw fromZod(result.error);
      assertStorableText(result.data);
      return undefined;
    },
  });
  const requireCustomer: MiddlewareHandler<PortalEnv> = async (c, next) => {
    const token = c.req.header(PORTAL_SESSION_HEADER);
    const customer = token ? await resolvePortalSession(db, token) : undefined;
    if (!customer) throw new AppError('unauthenticated', 'sign in to the portal first');
    c.set('customer', customer);
    await next();
  };
  const documented = (r: RouteConfig, signedIn: boolean) => ({
    ...r,
    tags: ['Portal'],
    operationId:
      r.operationId ??
      `portal${(r.summary ?? '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : '')).replace(/^./, (ch) => ch.toUpperCase())}`,
    description: `${r.description ?? `${r.summary}.`}\n\n${signedIn ? 'Needs a portal session (`X-Portal-Session`), a customer signed in to the portal.' : 'Public: no authentication.'}`,
    responses: { ...ERRORS, ...r.responses },
  });
  const open = <const R extends RouteConfig>(r: R): R => createRoute({ ...documented(r, false), security: [] }) as unknown as R;
  const customer = <const R extends RouteConfig>(r: R): R =>
    createRoute({
      ...documented(r, true),
      security: [{ portalSession: [] }],
      middleware: [requireCustomer],
    }) as unknown as R;
  const client = (c: Parameters<typeof clientInfo>[0]) => clientInfo(c, config.TRUST_PROXY);

  app.openapi(
    open({
      method: 'get',
      path: '/portal/branding',
      summary: 'Get the portal branding',
      responses: { 200: json(PortalBranding, 'Name, colour, logo') },
    }),
    async (c) => c.json(await getPortalBranding(db), 200),
  );
  app.get('/portal/branding/logo', async (c) => {
    const logo = await getPortalLogo(db);
    if (!logo) return c.json(new AppError('not_found', 'no logo').toBody(c.get('requestId')), 404);
    return new Response(new Uint8Array(logo.bytes), {
      headers: {
        'content-type': logo.contentType,
        'cache-control': 'public, max-age=86400',
        'content-security-policy': "default-src 'none'; sandbox",
        'x-content-type-options': 'nosniff',
      },
    });
  });

  app.openapi(
    open({
      method: 'post',
      path: '/portal/sign-in/link',
      summary: 'Mail me a sign-in link',
      description:
        'Mails a one-time sign-in link (15 minutes) if the address belongs to a customer. The answer is the same for unknown addresses.',
      request: { body: jsonBody(PortalLinkRequest) },
      responses: { 202: json(PortalLinkRequested, 'Accepted (whether or not the address is known)') },
    }),
    async (c) => {
      const { email } = c.req.valid('json');
      await deps.rateLimits.portalLinksPerIp.spend(`ip:${clientAddress(c, config.TRUST_PROXY)}`);
      await deps.rateLimits.portalLinks.spend(`email:${email}`);
      // The mail is queued with an event (account.mail_queued) that wakes the sender after commit.
      await requestPortalLink(db, { email });
      return c.json({ message: PORTAL_LINK_ANSWER }, 202);
    },
  );
  app.openapi(
    open({
      method: 'post',
      path: '/portal/sign-in/link/redeem',
      summary: 'Sign in with a mailed link',
      request: { body: jsonBody(PortalLinkRedeem) },
      responses: { 200: json(PortalSession, 'Signed in'), 410: error('The link expired') },
    }),
    async (c) => c.json(await redeemPortalLink(db, { token: c.req.valid('json').token, client: client(c) }), 200),
  );
  app.openapi(
    open({
      method: 'post',
      path: '/portal/sign-in/password',
      summary: 'Sign in with a password',
      request: { body: jsonBody(PortalPasswordSignIn) },
      responses: { 200: json(PortalSession, 'Signed in') },
    }),
    async (c) => {
      const { email, password } = c.req.valid('json');
      const key = `portal:${email}`;
      await deps.rateLimits.passwordChecks.assertLeft(key);
      try {
        return c.json(await signInWithPortalPassword(db, { email, password, client: client(c) }), 200);
      } catch (err) {
        if (err instanceof AppError && err.code === 'invalid_credentials') await deps.rateLimits.passwordChecks.record(key);
        throw err;
      }
    },
  );
  app.openapi(
    open({
      method: 'post',
      path: '/portal/sign-in/identity',
      summary: 'Sign in with the host site identity',
      description:
        "Signs in with the same signed identity the widget accepts (an HMAC of the user id, or a JWT) for a website's inbox.",
      request: { body: jsonBody(PortalIdentitySignIn) },
      responses: { 200: json(PortalSession, 'Signed in') },
    }),
    async (c) => {
      const b = c.req.valid('json');
      await deps.rateLimits.visitors.spend(clientAddress(c, config.TRUST_PROXY));
      return c.json(
        await signInWithIdentity(db, {
          websiteToken: b.websiteToken,
          user: { id: b.userId, hash: b.hash, token: b.token },
          client: client(c),
        }),
        200,
      );
    },
  );

  app.openapi(
    customer({
      method: 'get',
      path: '/portal/me',
      summary: 'Who am I',
      responses: { 200: json(PortalMe, 'The signed-in customer') },
    }),
    async (c) => c.json(await getPortalProfile(db, { contactId: c.get('customer').contactId }), 200),
  );
  app.openapi(
    customer({
      method: 'get',
      path: '/portal/live-token',
      summary: 'Get my live updates token',
      description:
        'A token for the `/widget` socket namespace (`auth: { portalLive }`): join your tickets’ rooms with `room:join` and receive their messages and status changes live, resuming by seq after a reconnect. Read-only; valid as long as this session.',
      responses: { 200: json(PortalLiveToken, 'The token') },
    }),
    async (c) => c.json({ token: await portalLiveToken(db, { sessionId: c.get('customer').sessionId }) }, 200),
  );
  app.openapi(
    customer({
      method: 'patch',
      path: '/portal/me',
      summary: 'Update my profile',
      request: { body: jsonBody(PortalProfileUpdate) },
      responses: { 200: json(PortalMe, 'Updated') },
    }),
    async (c) => c.json(await updatePortalProfile(db, { contactId: c.get('customer').contactId, ...c.req.valid('json') }), 200),
  );
  app.openapi(
    customer({
      method: 'put',
      path: '/portal/me/password',
      summary: 'Set my password',
      request: { body: jsonBody(PortalPasswordSet) },
      responses: { 200: json(ok, 'Set') },
    }),
    async (c) => {
      await setPortalPassword(db, { contactId: c.get('customer').contactId, password: c.req.valid('json').password });
      return c.json({ ok: true as const }, 200);
    },
  );
  app.openapi(
    customer({
      method: 'delete',
      path: '/portal/me/password',
      summary: 'Remove my password',
      responses: { 200: json(ok, 'Removed') },
    }),
    async (c) => {
      await removePortalPassword(db, { contactId: c.get('customer').contactId });
      return c.json({ ok: true as const }, 200);
    },
  );
  app.openapi(
    customer({
      method: 'get',
      path: '/portal/me/notifications',
      summary: 'Get my notification preferences',
      responses: { 200: json(PortalNotificationPrefs, 'Email on replies, email on status changes, push') },
    }),
    async (c) => {
      const p = await getCustomerNotificationPrefs(db, { contactId: c.get('customer').contactId });
      // An unsubscribed customer gets no email of any kind, whatever the two switches say.
      const email = !p.unsubscribedAt;
      return c.json({ emailReplies: email && p.emailReplies, emailStatus: email && p.emailStatus, push: p.push }, 200);
    },
  );
  app.openapi(
    customer({
      method: 'put',
      path: '/portal/me/notifications',
      summary: 'Set my notification preferences',
      request: { body: jsonBody(PortalNotificationPrefs) },
      responses: { 200: json(PortalNotificationPrefs, 'Stored') },
    }),
    async (c) => {
      const prefs = c.req.valid('json');
      const p = await setCustomerNotificationPrefs(db, { contactId: c.get('customer').contactId, ...prefs });
      const email = !p.unsubscribedAt;
      return c.json({ emailReplies: email && p.emailReplies, emailStatus: email && p.emailStatus, push: p.push }, 200);
    },
  );
  app.openapi(
    open({
      method: 'get',
      path: '/portal/push/public-key',
      summary: 'Get the Web Push key',
      description: 'The VAPID public key (the application server key) a browser subscribes with.',
      responses: { 200: json(PushPublicKey, 'The VAPID public key') },
    }),
    async (c) => c.json({ publicKey: (await loadVapidKeys(db)).publicKey }, 200),
  );
  app.openapi(
    customer({
      method: 'post',
      path: '/portal/push/subscriptions',
      summary: 'Notify me in this browser',
      description: "Stores this browser's PushSubscription for the customer and turns push on in their preferences.",
      request: { body: jsonBody(PushSubscriptionInput) },
      responses: { 200: json(ok, 'Stored') },
    }),
    async (c) => {
      const { contactId } = c.get('customer');
      await savePushSubscription(db, { owner: { contactId }, input: c.req.valid('json') });
      if (!(await getCustomerNotificationPrefs(db, { contactId })).push)
        await setCustomerNotificationPrefs(db, { contactId, push: true });
      return c.json({ ok: true as const }, 200);
    },
  );
  app.openapi(
    customer({
      method: 'post',
      path: '/portal/push/subscriptions/remove',
      summary: 'Stop notifying me in this browser',
      request: { body: jsonBody(z.strictObject({ endpoint: z.url().max(2000) })) },
      responses: { 200: json(ok, 'Removed (or was not there)') },
    }),
    async (c) => {
      await removePushSubscription(db, {
        owner: { contactId: c.get('customer').contactId },
        endpoint: c.req.valid('json').endpoint,
      });
      return c.json({ ok: true as const }, 200);
    },
  );
  app.openapi(
    customer({ method: 'post', path: '/portal/sign-out', summary: 'Sign out', responses: { 200: json(ok, 'Signed out') } }),
    async (c) => {
      await endPortalSession(db, { sessionId: c.get('customer').sessionId });
      return c.json({ ok: true as const }, 200);
    },
  );
  app.openapi(
    customer({
      method: 'post',
      path: '/portal/sign-out/everywhere',
      summary: 'Sign out everywhere',
      responses: { 200: json(z.object({ ended: z.number().int() }), 'Every session of this customer ended') },
    }),
    async (c) => c.json({ ended: await endAllPortalSessions(db, { contactId: c.get('customer').contactId }) }, 200),
  );

  app.openapi(
    customer({
      method: 'get',
      path: '/portal/tickets',
      summary: 'List my tickets',
      responses: { 200: json(z.object({ data: z.array(PortalTicket) }), 'Every ticket of this customer, on every channel') },
    }),
    async (c) => c.json({ data: await listPortalTickets(db, { contactId: c.get('customer').contactId }) }, 200),
  );
  app.openapi(
    customer({
      method: 'get',
      path: '/portal/ticket-fields',
      summary: 'List the ticket form fields',
      responses: { 200: json(z.object({ data: z.array(PortalField) }), 'Custom fields marked customer-visible') },
    }),
    async (c) => c.json({ data: await portalTicketFields(db) }, 200),
  );
  app.openapi(
    customer({
      method: 'post',
      path: '/portal/tickets',
      summary: 'Open a ticket',
      request: { body: jsonBody(PortalTicketCreate) },
      responses: { 201: json(TicketId, 'Opened') },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const { contactId } = c.get('customer');
      const ids = await checkAttachments(dir, {
        owner: `contact:${contactId}`,
        conversationId: 'new',
        attachments: input.attachments,
      });
      const created = await createPortalTicket(db, { contactId, input });
      await bindAttachments({ dir, ids, conversationId: created.id });
      return c.json(created, 201);
    },
  );
  app.openapi(
    customer({
      method: 'get',
      path: '/portal/tickets/{id}',
      summary: 'Get my ticket',
      request: { params: TicketId },
      responses: { 200: json(PortalTicketDetail, 'The ticket and its public messages (never internal notes)') },
    }),
    async (c) =>
      c.json(await getPortalTicket(db, { contactId: c.get('customer').contactId, conversationId: c.req.valid('param').id }), 200),
  );
  app.openapi(
    customer({
      method: 'post',
      path: '/portal/tickets/{id}/messages',
      summary: 'Reply to my ticket',
      request: { params: TicketId, body: jsonBody(PortalReply) },
      responses: { 201: json(z.object({ id: z.string(), seq: z.number().int() }), 'Stored in the room') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const input = c.req.valid('json');
      const { contactId } = c.get('customer');
      await deps.rateLimits.socketSends.spend(`contact:${contactId}`);
      const ids = await checkAttachments(dir, {
        owner: `contact:${contactId}`,
        conversationId: id,
        attachments: input.attachments,
      });
      const sent = await replyAsCustomer(db, { contactId, conversationId: id, ...input });
      await bindAttachments({ dir, ids, conversationId: id });
      return c.json(sent, 201);
    },
  );
  app.openapi(
    customer({
      method: 'post',
      path: '/portal/tickets/{id}/close',
      summary: 'Close my ticket',
      request: { params: TicketId },
      responses: { 200: json(ok, 'Resolved') },
    }),
    async (c) => {
      await closePortalTicket(db, { contactId: c.get('customer').contactId, conversationId: c.req.valid('param').id });
      return c.json({ ok: true as const }, 200);
    },
  );
  app.openapi(
    customer({
      method: 'post',
      path: '/portal/tickets/{id}/rating',
      summary: 'Rate my ticket',
      request: { params: TicketId, body: jsonBody(PortalRating) },
      responses: {
        200: json(
          z.object({ rating: z.number().nullable(), comment: z.string().nullable(), ratedAt: z.string().nullable() }),
          'Rated',
        ),
      },
    }),
    async (c) => {
      const { rating, comment } = c.req.valid('json');
      return c.json(
        await ratePortalTicket(db, {
          contactId: c.get('customer').contactId,
          conversationId: c.req.valid('param').id,
          rating,
          comment,
        }),
        200,
      );
    },
  );
  app.openapi(
    customer({
      method: 'post',
      path: '/portal/uploads',
      summary: 'Upload an attachment',
      description: 'Multipart `file`; the same types, size limit and content sniffing as the widget’s uploads.',
      request: { body: UploadBody },
      responses: { 201: json(AttachmentInput, 'The stored file, to send as an attachment') },
    }),
    async (c) => {
      const stored = await storeUploadStream(dir, {
        ...(await readUploadedFile(c)),
        owner: `contact:${c.get('customer').contactId}`,
      });
      const origin = config.PUBLIC_URL ? new URL(config.PUBLIC_URL).origin : new URL(c.req.url).origin;
      return c.json(
        {
          url: deps.uploadLinks.link(origin, stored.id, encodeURIComponent(stored.name)),
          name: stored.name,
          contentType: stored.contentType,
          size: stored.size,
        },
        201,
      );
    },
  );
  api.route('/', app as unknown as App);

  // Admins: the portal's look and where its tickets land (Settings → Portal).
  api.openapi(
    secured('admin', {
      method: 'get',
      path: '/portal-settings',
      tags: ['Workspace'],
      summary: 'Get the customer portal settings',
      responses: { 200: json(PortalSettings, 'Branding and the inbox for portal tickets') },
    }),
    async (c) => c.json(await getPortalSettings(db), 200),
  );
  api.openapi(
    secured('admin', {
      method: 'put',
      path: '/portal-settings',
      tags: ['Workspace'],
      summary: 'Update the customer portal settings',
      request: { body: jsonBody(PortalSettingsUpdate) },
      responses: { 200: json(PortalSettings, 'Updated') },
    }),
    async (c) => c.json(await updatePortalSettings(db, { actor: actorOf(c), input: c.req.valid('json') }), 200),
  );
}
