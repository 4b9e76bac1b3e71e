import { AppError } from '@autocrm/shared';
import { OpenAPIHono } from '@hono/zod-openapi';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import { cors } from 'hono/cors';
import { channelRoutes } from '../channels';
import { assertStorableText } from '../domain/text/storable-text';
import type { AppDeps, AppEnv } from './context';
import { fromZod, toErrorResponse } from './errors';
import { accessLog } from './middleware/access-log';
import { authenticate } from './middleware/authenticate';
import { csrf } from './middleware/csrf';
import { requestId } from './middleware/request-id';
import { noPrototypeKeys, storableAddress } from './middleware/safe-input';
import { securityHeaders } from './middleware/security-headers';
import { finishDocument, registerWebhookEvents } from './openapi-document';
import { isStreamedUpload } from './read-uploaded-file';
import { accountRoutes } from './routes/accounts';
import { agentUploadRoutes } from './routes/agent-uploads';
import { authRoutes } from './routes/auth';
import { automationRoutes } from './routes/automation';
import { avatarRoutes } from './routes/avatars';
import { botRoutes } from './routes/bot';
import { catalogRoutes } from './routes/catalog';
import { companyRoutes } from './routes/companies';
import { contactRoutes } from './routes/contacts';
import { conversationRoutes } from './routes/conversations';
import { helpRoutes } from './routes/help';
import { inboxWidgetRoutes } from './routes/inbox-widget';
import { inboxRoutes } from './routes/inboxes';
import { jobRoutes } from './routes/jobs';
import { kbRoutes } from './routes/kb';
import { lifecycleRoutes } from './routes/lifecycle';
import { macroRoutes } from './routes/macros';
import { notificationRoutes } from './routes/notifications';
import { opsRoutes } from './routes/ops';
import { portalRoutes } from './routes/portal';
import { privacyRoutes } from './routes/privacy';
import { reportRoutes } from './routes/reports';
import { routingRoutes } from './routes/routing';
import { userRoutes } from './routes/users';
import { webhookRoutes } from './routes/webhooks';
import { widgetApiRoutes } from './routes/widget-api';
import { widgetAssetRoutes } from './routes/widget-assets';
import { widgetNotificationRoutes } from './routes/widget-notifications';
import { widgetTicketRoutes } from './routes/widget-tickets';
import { widgetUploadRoutes } from './routes/widget-uploads';
import { workspaceRoutes } from './routes/workspace';
import { webFallback } from './web-app';

/** The HTTP app: ops endpoints, the API reference and REST API v1. */
export function createHttpApp(deps: AppDeps): Hono<AppEnv> {
  const root = new Hono<AppEnv>();
  // gzip for JSON, scripts and text over 1 KB (the widget's app file shrinks about 3x); streams
  // (text/event-stream) are left alone so tokens still flush one by one.
  root.use(
    '*',
    requestId(),
    securityHeaders(),
    accessLog(deps.logger, deps.metrics, deps.config.TRUST_PROXY),
    storableAddress(),
    compress(),
  );
  root.onError((err, c) => toErrorResponse(err, c, deps.logger));
  // The workspace (SvelteKit) answers whatever no route above did, except reserved paths.
  const web = webFallback(deps.logger, () => (req, env) => root.fetch(req, env as never));
  root.notFound(
    async (c) =>
      (await web(c)) ??
      c.json(new AppError('not_found', `no route for ${c.req.method} ${c.req.path}`).toBody(c.get('requestId')), 404),
  );
  opsRoutes(root, deps);
  const widgetApi = widgetApiRoutes(root, deps);
  widgetAssetRoutes(root, deps);
  widgetUploadRoutes(root, deps);
  const widgetNotifications = widgetNotificationRoutes(root, deps);
  const widgetTickets = widgetTicketRoutes(root, deps);

  const api = new OpenAPIHono<AppEnv>({
    // Every validation failure becomes one 400 naming each bad field; the handler never runs.
    defaultHook: (result, _c) => {
      if (!result.success) throw fromZod(result.error);
      assertStorableText(result.data);
      return undefined;
    },
  });
  const limitBody = bodyLimit({
    maxSize: deps.config.MAX_BODY_BYTES,
    onError: () => {
      throw new AppError('payload_too_large', `request body is larger than ${deps.config.MAX_BODY_BYTES} bytes`);
    },
  });
  // File uploads count their own bytes as they stream (read-uploaded-file.ts); this limit would read a
  // body sent without a length whole into memory first, and refuse files over 1 MB.
  api.use('*', (c, next) => (isStreamedUpload(c) ? next() : limitBody(c, next)));
  api.use('*', noPrototypeKeys());
  // The help center's data is public and read by the widget on customers' sites: open CORS, no credentials.
  api.use('/help/*', cors({ origin: '*', allowMethods: ['GET', 'POST'], allowHeaders: ['content-type'], credentials: false }));
  api.use('*', authenticate(deps.db), csrf());

  authRoutes(api, deps);
  conversationRoutes(api, deps);
  contactRoutes(api, deps);
  companyRoutes(api, deps);
  catalogRoutes(api, deps);
  inboxRoutes(api, deps);
  inboxWidgetRoutes(api, deps);
  userRoutes(api, deps);
  avatarRoutes(api, deps);
  accountRoutes(api, deps);
  webhookRoutes(api, deps);
  routingRoutes(api, deps);
  workspaceRoutes(api, deps);
  kbRoutes(api, deps);
  helpRoutes(api, deps);
  botRoutes(api, deps);
  macroRoutes(api, deps);
  agentUploadRoutes(api, deps);
  jobRoutes(api, deps);
  privacyRoutes(api, deps);
  channelRoutes(api, deps);
  lifecycleRoutes(api, deps);
  automationRoutes(api, deps);
  reportRoutes(api, deps);
  notificationRoutes(api, deps);
  portalRoutes(api, deps);

  api.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key (`ak_...`) created under /api-keys, with the scopes the operation names',
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'autocrm_session',
    description: 'The session cookie set by /auth/login; writes also need the X-CSRF-Token header',
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'portalSession', {
    type: 'apiKey',
    in: 'header',
    name: 'X-Portal-Session',
    description: 'A customer portal session token (`ps_...`) from one of the portal sign-in operations',
  });
  registerWebhookEvents(api);
  // The widget's operations are served at the root (/widget-api/v1), documented here with the rest.
  for (const d of [...widgetApi.definitions, ...widgetNotifications.definitions, ...widgetTickets.definitions])
    if (d.type === 'route') api.openAPIRegistry.registerPath(d.route);
  const document = () =>
    api.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'AutoCRM API',
        version: '1.0.0',
        description:
          'REST API v1 of AutoCRM. Authenticate with `Authorization: Bearer <api key>`; each operation names the scope it needs in `x-required-scope`. Errors are `{ error: { code, message, issues? } }`.',
        contact: { name: 'AutoCRM', url: 'https://github.com/autocrm/autocrm' },
        license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
      },
      servers: [{ url: '/api/v1' }],
    });
  let built: ReturnType<typeof finishDocument> | undefined;
  api.get('/openapi.json', (c) => {
    // Built once per app: the document only changes with the code.
    built ??= finishDocument(document());
    return c.json(built);
  });
  root.route('/api/v1', api);
  return root;
}
