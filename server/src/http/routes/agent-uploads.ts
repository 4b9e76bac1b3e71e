import { z } from 'zod';
import { actorLabel } from '../../domain/actor';
import { storeUploadStream } from '../../domain/widget/uploads';
import { uploadStoreFor } from '../../storage/uploads/select-store';
import { actorOf } from '../actor-of';
import type { App, AppDeps } from '../context';
import { json, secured } from '../openapi';
import { readUploadedFile, UploadBody } from '../read-uploaded-file';

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
      request: { body: UploadBody },
      responses: { 201: json(Upload, 'The stored file') },
    }),
    async (c) => {
      const stored = await storeUploadStream(dir, { ...(await readUploadedFile(c)), owner: actorLabel(actorOf(c)) });
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
