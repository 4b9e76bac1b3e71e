import { AppError } from '@autocrm/shared';
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { z } from 'zod';
import { assertStorableText } from '../../domain/text/storable-text';
import { createVisitor } from '../../domain/widget/visitors';
import type { AppDeps, AppEnv } from '../context';
import { fromZod } from '../errors';

const NewVisitor = z.strictObject({ websiteToken: z.string().min(1).max(200) });

/**
 * The widget's few HTTP endpoints. They run on customers' websites, so CORS is open to any origin, but
 * never with credentials: these endpoints take tokens in the body, not cookies.
 */
export function widgetApiRoutes(app: Hono<AppEnv>, { db }: AppDeps) {
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
  app.post('/widget-api/v1/visitors', async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new AppError('invalid_json', 'request body is not valid JSON');
    }
    const parsed = NewVisitor.safeParse(body);
    if (!parsed.success) throw fromZod(parsed.error);
    assertStorableText(parsed.data);
    const visitor = await createVisitor(db, parsed.data);
    return c.json({ visitorToken: visitor.visitorToken, contactId: visitor.contactId }, 201);
  });
}
