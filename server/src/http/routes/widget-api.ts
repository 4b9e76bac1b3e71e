import { AppError, CsatInput, VisitorInfoInput } from '@autocrm/shared';
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { z } from 'zod';
import { suggestArticles } from '../../domain/kb/suggestions';
import { assertNoPrototypeKeys } from '../../domain/text/prototype-keys';
import { assertStorableText } from '../../domain/text/storable-text';
import { rateConversation } from '../../domain/widget/csat';
import { createWidgetVisitor, updateVisitorProfile } from '../../domain/widget/identify-visitor';
import { inboxByWebsiteToken, publicConfig } from '../../domain/widget/settings';
import { recordVisitorInfo } from '../../domain/widget/visitor-info';
import { resolveVisitor } from '../../domain/widget/visitors';
import { clientAddress } from '../client-address';
import type { AppDeps, AppEnv } from '../context';
import { fromZod } from '../errors';

const Token = z.string().min(1).max(200);
const Attributes = z
  .record(z.string().regex(/^[A-Za-z][\w.-]{0,39}$/), z.union([z.string().max(500), z.number(), z.boolean()]))
  .refine((r) => Object.keys(r).length <= 30, 'at most 30 attributes');
const NewVisitor = z.strictObject({
  websiteToken: Token,
  user: z
    .strictObject({
      id: z.string().min(1).max(200).optional(),
      email: z.email().max(320).optional(),
      name: z.string().trim().min(1).max(200).optional(),
      hash: z.string().max(200).optional(),
      token: z.string().max(4000).optional(),
      attributes: Attributes.optional(),
    })
    .optional(),
});
const VisitorAuth = { websiteToken: Token, visitorToken: Token };
const Profile = z.strictObject({
  ...VisitorAuth,
  name: z.string().trim().min(1).max(200).optional(),
  email: z.email().max(320).optional(),
  attributes: Attributes.optional(),
});
const Suggestions = z.strictObject({
  websiteToken: Token,
  visitorToken: Token.optional(),
  pageUrl: z.string().max(2000).optional(),
  pageTitle: z.string().max(300).optional(),
  locale: z
    .string()
    .regex(/^[a-z]{2}(-[A-Za-z]{2})?$/)
    .optional(),
});
const Csat = z.strictObject({ ...VisitorAuth, conversationId: z.uuid(), ...CsatInput.shape });

async function parse<T extends z.ZodType>(req: { json(): Promise<unknown> }, schema: T): Promise<z.infer<T>> {
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    throw new AppError('invalid_json', 'request body is not valid JSON');
  }
  assertNoPrototypeKeys(body);
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw fromZod(parsed.error);
  assertStorableText(parsed.data);
  return parsed.data;
}

/**
 * The widget's few HTTP endpoints. They run on customers' websites, so CORS is open to any origin, but
 * never with credentials: these endpoints take tokens in the body, not cookies.
 */
export function widgetApiRoutes(app: Hono<AppEnv>, deps: AppDeps) {
  const { db } = deps;
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
  const visitorOf = async (p: { websiteToken: string; visitorToken: string }) => {
    const visitor = await resolveVisitor(db, p);
    if (!visitor) throw new AppError('unauthenticated', 'unknown visitor for this website');
    return visitor;
  };

  app.post('/widget-api/v1/visitors', async (c) => {
    const input = await parse(c.req, NewVisitor);
    await deps.rateLimits.visitors.spend(clientAddress(c, deps.config.TRUST_PROXY));
    const visitor = await createWidgetVisitor(db, input);
    return c.json({ visitorToken: visitor.visitorToken, contactId: visitor.contactId, verified: visitor.verified }, 201);
  });

  app.get('/widget-api/v1/config', async (c) => {
    const websiteToken = Token.safeParse(c.req.query('websiteToken'));
    if (!websiteToken.success) throw new AppError('validation_failed', 'websiteToken is required');
    const inbox = await inboxByWebsiteToken(db, websiteToken.data);
    let online = 0;
    const everyone = await deps.realtime?.presence.all().catch(() => undefined);
    if (everyone?.size) {
      const members = await db.selectFrom('inbox_members').select('user_id').where('inbox_id', '=', inbox.id).execute();
      online = members.filter((m) => everyone.get(m.user_id)?.status === 'online').length;
    }
    c.header('Cache-Control', 'no-store');
    return c.json(publicConfig({ inbox, agentsOnline: online, locale: c.req.query('locale') }));
  });

  // The page and browser the widget runs in, sent when it starts: the agent's contact card shows them.
  app.post('/widget-api/v1/context', async (c) => {
    const { websiteToken, visitorToken, ...info } = await parse(c.req, VisitorInfoInput.extend(VisitorAuth));
    const visitor = await visitorOf({ websiteToken, visitorToken });
    return c.json(await recordVisitorInfo(db, { visitor, info, userAgent: c.req.header('user-agent') ?? '' }));
  });

  app.post('/widget-api/v1/profile', async (c) => {
    const { websiteToken, visitorToken, ...profile } = await parse(c.req, Profile);
    await updateVisitorProfile(db, { visitor: await visitorOf({ websiteToken, visitorToken }), ...profile });
    return c.json({ ok: true });
  });

  // Articles for the help view before the visitor types: related to the page and to past conversations.
  app.post('/widget-api/v1/help/suggestions', async (c) => {
    const { websiteToken, visitorToken, pageUrl, pageTitle, locale } = await parse(c.req, Suggestions);
    await inboxByWebsiteToken(db, websiteToken);
    const visitor = visitorToken ? await resolveVisitor(db, { websiteToken, visitorToken }) : null;
    const hits = await suggestArticles(deps.kb, {
      locale: (locale ?? deps.config.KB_DEFAULT_LOCALE).slice(0, 2),
      pageUrl,
      pageTitle,
      contactId: visitor?.contactId ?? null,
    });
    return c.json({ hits });
  });

  app.post('/widget-api/v1/csat', async (c) => {
    const { websiteToken, visitorToken, ...rating } = await parse(c.req, Csat);
    return c.json(await rateConversation(db, { visitor: await visitorOf({ websiteToken, visitorToken }), ...rating }));
  });
}
