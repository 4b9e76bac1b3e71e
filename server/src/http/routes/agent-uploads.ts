import { AppError } from '@autocrm/shared';
import { z } from 'zod';
import { actorLabel } from '../../domain/actor';
import { storeUpload, UPLOAD_MAX_BYTES } from '../../domain/widget/uploads';
import { uploadStoreFor } from '../../storage/uploads/select-store';
import { actorOf } from '../actor-of';
import type { App, AppDeps } from '../context';
import { json, secured } from '../openapi';

const Upload = z
  .object({ url: z.string(), name: z.string(), contentType: z.string(), size: z.number().int() })
  .meta({ id: 'Upload' });

/**
 * Agents' uploads (images pasted or dropped into the reply editor): multipart `file`, the same types
 * and size limit as the widget's, stored beside them and served by the same signed, expiring links.
 */
export function agentUploadRoutes(app: App, { config, uploadLinks }: AppDeps) {
  const dir = uploadStoreFor(config);
  app.openapi(
    secured('conversations:write', {
      method: 'post',
      path: '/uploads',
      tags: ['Conversations'],
      summary: 'Upload a file (an image for a reply); returns its URL',
      request: {
        body: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: z.object({
                file: z.any().meta({ type: 'string', format: 'binary', description: 'the file (10 MB at most)' }),
              }),
            },
          },
        },
      },
      responses: { 201: json(Upload, 'The stored file') },
    }),
    async (c) => {
      const length = Number(c.req.header('content-length') ?? 0);
      if (length > UPLOAD_MAX_BYTES + 64 * 1024) throw new AppError('payload_too_large', 'the file is larger than 10 MB');
      const file: unknown = c.req.valid('form').file;
      if (!(file instanceof File)) throw new AppError('validation_failed', 'send the file in the field "file"');
      const stored = await storeUpload(dir, {
        name: file.name || 'file',
        contentType: file.type,
        bytes: new Uint8Array(await file.arrayBuffer()),
        owner: actorLabel(actorOf(c)),
      });
      const origin = config.PUBLIC_URL ? new URL(config.PUBLIC_URL).origin : new URL(c.req.url).origin;
      return c.json(
        {
          url: uploadLinks.link(origin, stored.id, encodeURIComponent(stored.name)),
          name: stored.name,
          contentType: stored.contentType,
          size: stored.size,
        },
        201,
      );
    },
  );
}
