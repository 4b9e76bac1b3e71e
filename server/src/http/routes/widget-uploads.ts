import { AppError } from '@autocrm/shared';
import type { Hono } from 'hono';
import { cors } from 'hono/cors';
import { openUpload, storeUploadStream, UPLOAD_MAX_BYTES } from '../../domain/widget/uploads';
import { resolveVisitor } from '../../domain/widget/visitors';
import { uploadStoreFor } from '../../storage/uploads/select-store';
import type { AppDeps, AppEnv } from '../context';

/**
 * Visitors' attachments: POST the raw file (Content-Type = its type, X-File-Name = its name, visitor
 * tokens in headers), get back an attachment to send with a message. Files are served back under an
 * unguessable id, as downloads unless they are images, and never as active content.
 */
export function widgetUploadRoutes(app: Hono<AppEnv>, { db, config, uploadLinks }: AppDeps) {
  const dir = uploadStoreFor(config);
  app.use(
    '/widget-uploads/*',
    cors({
      origin: '*',
      allowMethods: ['GET', 'POST'],
      allowHeaders: ['content-type', 'x-file-name', 'x-website-token', 'x-visitor-token'],
      credentials: false,
    }),
  );
  app.post('/widget-uploads', async (c) => {
    // A length announced over the limit is refused unread; otherwise the store counts while streaming.
    if (Number(c.req.header('content-length') ?? 0) > UPLOAD_MAX_BYTES)
      throw new AppError('payload_too_large', 'the file is larger than 10 MB');
    const websiteToken = c.req.header('x-website-token') ?? '';
    const visitorToken = c.req.header('x-visitor-token') ?? '';
    const visitor = websiteToken && visitorToken ? await resolveVisitor(db, { websiteToken, visitorToken }) : undefined;
    if (!visitor) throw new AppError('unauthenticated', 'unknown visitor for this website');
    let name = 'file';
    try {
      name = decodeURIComponent(c.req.header('x-file-name') ?? 'file');
    } catch {
      // a malformed name: keep the default
    }
    const body = c.req.raw.body;
    if (!body) throw new AppError('validation_failed', 'the file is empty');
    const stored = await storeUploadStream(dir, {
      name,
      contentType: c.req.header('content-type') ?? '',
      source: body,
      owner: `contact:${visitor.contactId}`,
    });
    const origin = config.PUBLIC_URL ? new URL(config.PUBLIC_URL).origin : new URL(c.req.url).origin;
    return c.json(
      {
        name: stored.name,
        contentType: stored.contentType,
        size: stored.size,
        url: uploadLinks.link(origin, stored.id, encodeURIComponent(stored.name)),
      },
      201,
    );
  });
  // Served only for a signed, unexpired link. With UPLOADS_ORIGIN, only there: a request that reached
  // the app's own origin is sent on, so a file never runs (or is even shown) in the app's origin.
  const uploadsOrigin = config.UPLOADS_ORIGIN ? new URL(config.UPLOADS_ORIGIN) : undefined;
  app.get('/widget-uploads/:id/:name', async (c) => {
    const id = c.req.param('id');
    uploadLinks.verify(id, c.req.query('exp'), c.req.query('sig'));
    const here = new URL(c.req.url);
    if (uploadsOrigin && c.req.header('host') !== uploadsOrigin.host) {
      return c.redirect(`${uploadsOrigin.origin}${here.pathname}${here.search}`, 302);
    }
    // Streamed from the store (a file, or S3's answer) to the client, never whole in memory.
    const found = await openUpload(dir, id);
    if (!found) return c.notFound();
    const image = found.meta.contentType.startsWith('image/');
    return new Response(found.body, {
      headers: {
        'content-type': found.meta.contentType,
        ...(found.size ? { 'content-length': String(found.size) } : {}),
        'content-disposition': `${image ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(found.meta.name)}`,
        'content-security-policy': "default-src 'none'; sandbox",
        // A signed link is private to whoever was shown it, and stops working when it expires.
        'cache-control': 'private, max-age=3600',
        'cross-origin-resource-policy': 'cross-origin',
      },
    });
  });
}
