import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '@autocrm/shared';
import { fileTypeFromBuffer } from 'file-type';
import { uploadIdOf } from './upload-links';

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
  /** Who uploaded it (`contact:<id>`, `user:<id>`, `api_key:<id>`): only they can attach it. */
  owner?: string;
  /** The conversation it was first attached to: it cannot be attached anywhere else. */
  conversationId?: string | null;
}

// Binary types must be what their bytes say; text types must not be anything file-type recognises
// (an executable, an archive, an image...), and must be UTF-8 without NUL.
async function assertContentMatches(contentType: string, bytes: Uint8Array): Promise<void> {
  const detected = await fileTypeFromBuffer(bytes);
  const refuse = () => {
    throw new AppError(
      'unsupported_media_type',
      `the file's content is ${detected ? detected.mime : 'not'} ${detected ? '' : `${contentType} `}(declared ${contentType})`.replace(
        /\s+/g,
        ' ',
      ),
    );
  };
  if (contentType.startsWith('text/')) {
    if (detected) refuse();
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      refuse();
    }
    if (bytes.includes(0)) refuse();
    return;
  }
  if (detected?.mime !== contentType) refuse();
}

const safeName = (name: string) =>
  name
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._ -]/gu, '_')
    .slice(0, 120)
    .trim() || 'file';

/**
 * Stores one upload under DATA_DIR/attachments/<id> (256 random bits) with its metadata beside it,
 * after checking that its bytes are what its declared type says. `owner` is who may attach it.
 */
export async function storeUpload(
  dir: string,
  props: { name: string; contentType: string; bytes: Uint8Array; owner?: string },
): Promise<StoredUpload> {
  const contentType = props.contentType.split(';')[0]!.trim().toLowerCase();
  if (!UPLOAD_TYPES.has(contentType))
    throw new AppError('unsupported_media_type', `files of type ${contentType} are not accepted`);
  if (props.bytes.length === 0) throw new AppError('validation_failed', 'the file is empty');
  if (props.bytes.length > UPLOAD_MAX_BYTES) throw new AppError('payload_too_large', 'the file is larger than 10 MB');
  await assertContentMatches(contentType, props.bytes);
  const upload: StoredUpload = {
    id: randomBytes(32).toString('base64url'),
    name: safeName(props.name),
    contentType,
    size: props.bytes.length,
    ...(props.owner ? { owner: props.owner } : {}),
    conversationId: null,
  };
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, upload.id), props.bytes);
  await writeFile(path.join(dir, `${upload.id}.json`), JSON.stringify(upload));
  return upload;
}

export async function readUpload(dir: string, id: string): Promise<{ meta: StoredUpload; bytes: Buffer } | undefined> {
  // New ids are 43 base64url characters; uploads stored before them have UUIDs.
  if (!/^([A-Za-z0-9_-]{43}|[0-9a-f-]{36})$/.test(id)) return undefined;
  try {
    const meta = JSON.parse(await readFile(path.join(dir, `${id}.json`), 'utf8')) as StoredUpload;
    return { meta, bytes: await readFile(path.join(dir, id)) };
  } catch {
    return undefined;
  }
}

/**
 * Attachments are only files uploaded here by the same sender, and each belongs to one conversation:
 * an outside URL, another sender's upload, or an upload already attached elsewhere is refused.
 * Returns the ids to bind once the message is stored.
 */
export async function checkAttachments(
  dir: string,
  props: { owner: string; conversationId: string; attachments: { url: string }[] | undefined },
): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, a] of (props.attachments ?? []).entries()) {
    const path = `attachments.${i}.url`;
    const id = uploadIdOf(a.url);
    const meta = id ? (await readUpload(dir, id))?.meta : undefined;
    if (!id || !meta || meta.owner !== props.owner) {
      throw new AppError('validation_failed', `${path}: only files you uploaded here can be attached`, [
        { path, message: 'only files you uploaded here can be attached' },
      ]);
    }
    if (meta.conversationId && meta.conversationId !== props.conversationId) {
      throw new AppError('validation_failed', `${path}: this file belongs to another conversation`, [
        { path, message: 'belongs to another conversation' },
      ]);
    }
    ids.push(id);
  }
  return ids;
}

/** Binds checked uploads to the conversation their message was stored in. */
export async function bindAttachments(dir: string, ids: string[], conversationId: string): Promise<void> {
  for (const id of ids) {
    const found = await readUpload(dir, id);
    if (!found || found.meta.conversationId === conversationId) continue;
    await writeFile(path.join(dir, `${id}.json`), JSON.stringify({ ...found.meta, conversationId }));
  }
}
