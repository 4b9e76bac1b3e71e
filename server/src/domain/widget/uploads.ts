import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '@autocrm/shared';

/** What a visitor may upload: images and common documents, up to 10 MiB each. */
export const UPLOAD_MAX_BYTES = 10 * 1024 * 1024;
export const UPLOAD_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/zip',
]);

export interface StoredUpload {
  id: string;
  name: string;
  contentType: string;
  size: number;
}

const safeName = (name: string) =>
  name
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._ -]/gu, '_')
    .slice(0, 120)
    .trim() || 'file';

/** Stores one upload under DATA_DIR/attachments/<uuid> with its metadata beside it. */
export async function storeUpload(
  dir: string,
  props: { name: string; contentType: string; bytes: Uint8Array },
): Promise<StoredUpload> {
  const contentType = props.contentType.split(';')[0]!.trim().toLowerCase();
  if (!UPLOAD_TYPES.has(contentType))
    throw new AppError('unsupported_media_type', `files of type ${contentType} are not accepted`);
  if (props.bytes.length === 0) throw new AppError('validation_failed', 'the file is empty');
  if (props.bytes.length > UPLOAD_MAX_BYTES) throw new AppError('payload_too_large', 'the file is larger than 10 MB');
  const upload = { id: randomUUID(), name: safeName(props.name), contentType, size: props.bytes.length };
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, upload.id), props.bytes);
  await writeFile(path.join(dir, `${upload.id}.json`), JSON.stringify(upload));
  return upload;
}

export async function readUpload(dir: string, id: string): Promise<{ meta: StoredUpload; bytes: Buffer } | undefined> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
  try {
    const meta = JSON.parse(await readFile(path.join(dir, `${id}.json`), 'utf8')) as StoredUpload;
    return { meta, bytes: await readFile(path.join(dir, id)) };
  } catch {
    return undefined;
  }
}
