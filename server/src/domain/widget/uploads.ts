import { randomBytes } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AppError } from '@autocrm/shared';
import { fileTypeFromBuffer } from 'file-type';
import { uploadIdOf } from './upload-links';

export { uploadIdOf };

import { LocalDiskStore } from '../../storage/uploads/local-disk-store';
import type { OpenedObject, UploadStore } from '../../storage/uploads/upload-store';

/**
 * Where uploads live: an upload store (local disk or S3, storage/uploads/select-store.ts), or a
 * directory path, which means the local disk there (older callers pass one).
 */
export type UploadLocation = string | UploadStore;
const storeOf = (at: UploadLocation): UploadStore => (typeof at === 'string' ? new LocalDiskStore(at) : at);
const metaKey = (id: string) => `${id}.json`;

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
  /** When it was stored (uploads from before this field have none: their object's time counts). */
  createdAt?: string;
}

// file-type recognises every format it knows from the first bytes; the rest is never read for sniffing.
const SNIFF_BYTES = 4100;

// Binary types must be what their bytes say; text types must not be anything file-type recognises
// (an executable, an archive, an image...), and must be UTF-8 without NUL. Fed chunk by chunk, so a
// large upload is checked as it streams past.
class ContentCheck {
  private head = Buffer.alloc(0);
  private readonly text: boolean;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });
  private badText = false;

  constructor(private readonly contentType: string) {
    this.text = contentType.startsWith('text/');
  }

  feed(chunk: Uint8Array): void {
    if (this.head.length < SNIFF_BYTES) this.head = Buffer.concat([this.head, chunk.subarray(0, SNIFF_BYTES - this.head.length)]);
    if (!this.text || this.badText) return;
    try {
      this.utf8.decode(chunk, { stream: true });
    } catch {
      this.badText = true;
    }
    if (chunk.includes(0)) this.badText = true;
  }

  async finish(): Promise<void> {
    const detected = await fileTypeFromBuffer(this.head);
    const contentType = this.contentType;
    const refuse = () => {
      throw new AppError(
        'unsupported_media_type',
        `the file's content is ${detected ? detected.mime : 'not'} ${detected ? '' : `${contentType} `}(declared ${contentType})`.replace(
          /\s+/g,
          ' ',
        ),
      );
    };
    if (this.text) {
      try {
        this.utf8.decode();
      } catch {
        this.badText = true;
      }
      if (detected || this.badText) refuse();
      return;
    }
    if (detected?.mime !== contentType) refuse();
  }
}

const safeName = (name: string) =>
  name
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._ -]/gu, '_')
    .slice(0, 120)
    .trim() || 'file';

export type StoreUploadProps = { name: string; contentType: string; bytes: Uint8Array; owner?: string };

/** Stores one upload held in memory (a macro's file, a test); see `storeUploadStream`. */
export function storeUpload(dir: UploadLocation, { bytes, ...props }: StoreUploadProps): Promise<StoredUpload> {
  return storeUploadStream(dir, { ...props, source: [bytes] });
}

export type StoreUploadStreamProps = {
  name: string;
  contentType: string;
  /** The bytes as they arrive (a request body, a multipart part). */
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  owner?: string;
  /** A smaller limit than UPLOAD_MAX_BYTES, and the types allowed (an avatar: images of 2 MB). */
  maxBytes?: number;
  types?: ReadonlySet<string>;
};

/**
 * Stores one upload as <id> (256 random bits) with its metadata beside it as <id>.json, after checking
 * that its bytes are what its declared type says. `owner` is who may attach it. The bytes stream
 * through a temporary file (checked and counted on the way, refused past the size limit), never
 * whole in memory; the store then takes the file (a rename on local disk, a streamed PUT to S3).
 * Refused or broken uploads leave nothing behind.
 */
export async function storeUploadStream(dir: UploadLocation, props: StoreUploadStreamProps): Promise<StoredUpload> {
  const contentType = props.contentType.split(';')[0]!.trim().toLowerCase();
  if (!(props.types ?? UPLOAD_TYPES).has(contentType))
    throw new AppError('unsupported_media_type', `files of type ${contentType} are not accepted`);
  const maxBytes = props.maxBytes ?? UPLOAD_MAX_BYTES;
  const spool = path.join(tmpdir(), `autocrm-upload-${randomBytes(12).toString('hex')}`);
  const file = await open(spool, 'w', 0o600);
  try {
    const check = new ContentCheck(contentType);
    let size = 0;
    try {
      for await (const chunk of props.source) {
        size += chunk.length;
        if (size > maxBytes)
          throw new AppError('payload_too_large', `the file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
        check.feed(chunk);
        await file.write(chunk);
      }
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('validation_failed', 'the upload broke off before the whole file arrived');
    } finally {
      await file.close();
    }
    if (size === 0) throw new AppError('validation_failed', 'the file is empty');
    await check.finish();
    const upload: StoredUpload = {
      id: randomBytes(32).toString('base64url'),
      name: safeName(props.name),
      contentType,
      size,
      ...(props.owner ? { owner: props.owner } : {}),
      conversationId: null,
      createdAt: new Date().toISOString(),
    };
    const store = storeOf(dir);
    await store.putFile(upload.id, spool, size, contentType);
    await store.put(metaKey(upload.id), new TextEncoder().encode(JSON.stringify(upload)), 'application/json');
    return upload;
  } finally {
    await rm(spool, { force: true });
  }
}

// New ids are 43 base64url characters; uploads stored before them have UUIDs.
export const isUploadId = (id: string) => /^([A-Za-z0-9_-]{43}|[0-9a-f-]{36})$/.test(id);

export async function readUploadMeta(dir: UploadLocation, id: string): Promise<StoredUpload | undefined> {
  if (!isUploadId(id)) return undefined;
  const raw = await storeOf(dir).get(metaKey(id));
  if (!raw) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as StoredUpload;
  } catch {
    return undefined;
  }
}

export async function readUpload(dir: UploadLocation, id: string): Promise<{ meta: StoredUpload; bytes: Buffer } | undefined> {
  const meta = await readUploadMeta(dir, id);
  const bytes = meta ? await storeOf(dir).get(id) : undefined;
  return meta && bytes ? { meta, bytes } : undefined;
}

/** An upload's metadata and its bytes as a stream (downloads), or undefined when either is missing. */
export async function openUpload(dir: UploadLocation, id: string): Promise<({ meta: StoredUpload } & OpenedObject) | undefined> {
  const meta = await readUploadMeta(dir, id);
  const opened = meta ? await storeOf(dir).open(id) : undefined;
  return meta && opened ? { meta, ...opened } : undefined;
}

/** Deletes an upload's bytes and metadata (erasure, retention, orphan pruning); gone already is fine. */
export async function deleteUpload(dir: UploadLocation, id: string): Promise<void> {
  if (!isUploadId(id)) return;
  const store = storeOf(dir);
  await store.delete(id);
  await store.delete(metaKey(id));
}

/**
 * Attachments are only files uploaded here by the same sender, and each belongs to one conversation:
 * an outside URL, another sender's upload, or an upload already attached elsewhere is refused.
 * Returns the ids to bind once the message is stored.
 */
export async function checkAttachments(
  dir: UploadLocation,
  props: { owner: string; conversationId: string; attachments: { url: string }[] | undefined },
): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, a] of (props.attachments ?? []).entries()) {
    const path = `attachments.${i}.url`;
    const id = uploadIdOf(a.url);
    const meta = id ? await readUploadMeta(dir, id) : undefined;
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

export type BindAttachmentsProps = { dir: UploadLocation; ids: string[]; conversationId: string };

/** Binds checked uploads to the conversation their message was stored in. */
export async function bindAttachments({ dir, ids, conversationId }: BindAttachmentsProps): Promise<void> {
  for (const id of ids) {
    const meta = await readUploadMeta(dir, id);
    if (!meta || meta.conversationId === conversationId) continue;
    await storeOf(dir).put(
      metaKey(id),
      new TextEncoder().encode(JSON.stringify({ ...meta, conversationId })),
      'application/json',
    );
  }
}
