import { Readable } from 'node:stream';
import { AppError } from '@autocrm/shared';
import { Busboy } from '@fastify/busboy';
import type { Context } from 'hono';
import { UPLOAD_MAX_BYTES } from '../domain/widget/uploads';

/**
 * The request body of every multipart upload route (agents', the portal's, the avatar's): documented
 * for the API reference, but given as a plain schema rather than zod so the router does not parse the
 * form (which would hold the whole file in memory); `readUploadedFile` streams it instead.
 */
export const UploadBody = {
  required: true,
  content: {
    'multipart/form-data': {
      schema: {
        type: 'object' as const,
        required: ['file'],
        properties: { file: { type: 'string' as const, format: 'binary', description: 'the file (10 MB at most)' } },
      },
    },
  },
};

// The routes that read their body with `readUploadedFile` (below /api/v1).
const STREAMED_UPLOADS = new Set(['/api/v1/uploads', '/api/v1/portal/uploads', '/api/v1/me/avatar']);

/** Is this a multipart upload to a route that streams it (the global body limit leaves those alone)? */
export const isStreamedUpload = (c: Context) => c.req.method === 'POST' && STREAMED_UPLOADS.has(c.req.path);

export interface UploadedFile {
  name: string;
  contentType: string;
  /** The file's bytes as they arrive: read it once, to the end (storeUploadStream does). */
  source: AsyncIterable<Uint8Array>;
}

// The multipart envelope around the file: boundaries, part headers, a few small fields.
const ENVELOPE_BYTES = 64 * 1024;

/**
 * The multipart field `file` of an upload request, as a stream: parsed while it arrives, so neither the
 * form nor the file is ever held whole in memory. A body announced as too large is refused before it
 * is read; one that turns out too large is cut off one byte past the limit (the store refuses it).
 */
export function readUploadedFile(c: Context, maxBytes = UPLOAD_MAX_BYTES): Promise<UploadedFile> {
  const tooLarge = () => new AppError('payload_too_large', `the file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
  const length = Number(c.req.header('content-length') ?? 0);
  if (length > maxBytes + ENVELOPE_BYTES) return Promise.reject(tooLarge());
  const contentType = c.req.header('content-type') ?? '';
  const body = c.req.raw.body;
  const missing = () => new AppError('validation_failed', 'send the file in the field "file"');
  if (!/^multipart\/form-data\b/i.test(contentType) || !body) return Promise.reject(missing());
  return new Promise((resolve, reject) => {
    let form: ReturnType<typeof Busboy>;
    try {
      form = Busboy({ headers: { 'content-type': contentType }, limits: { files: 1, fileSize: maxBytes + 1, fields: 20 } });
    } catch {
      reject(new AppError('validation_failed', 'the form data could not be read (multipart boundary missing)'));
      return;
    }
    form.on('file', (field, stream, filename, _encoding, mimeType) => {
      if (field !== 'file') {
        stream.resume();
        return;
      }
      resolve({ name: filename || 'file', contentType: mimeType, source: stream });
    });
    // Settles nothing once the file was handed over: then the stream reports its own end or error.
    form.on('finish', () => reject(missing()));
    form.on('error', () => reject(new AppError('validation_failed', 'the form data could not be read')));
    const input = Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>);
    input.on('error', (err) => form.destroy(err));
    input.pipe(form);
  });
}
