import { AppError } from '@autocrm/shared';
import type { AttachmentRow } from '../../../../db/types';
import { type Actor, actorLabel } from '../actor';
import { activeUploadLinks } from '../widget/upload-links';
import { readUpload, storeUpload, type UploadLocation } from '../widget/uploads';

// The upload store's own URLs (43-character ids; older uploads have UUIDs).
const UPLOAD_URL = /\/widget-uploads\/([A-Za-z0-9_-]{43}|[0-9a-f-]{36})\//;

/** The copy's link: the original's with the copy's id, signed afresh (the old signature names the old id). */
function linkTo(url: string, id: string, copyId: string): string {
  const swapped = new URL(url.replace(`/widget-uploads/${id}/`, `/widget-uploads/${copyId}/`), 'http://stored.invalid');
  swapped.search = '';
  if (swapped.origin === 'http://stored.invalid') return swapped.pathname;
  return activeUploadLinks()?.signUrl(swapped.toString()) ?? swapped.toString();
}

export type CheckMacroFilesProps = {
  uploadsDir: UploadLocation;
  actor: Actor;
  files: { url: string }[];
  already: AttachmentRow[];
};

/**
 * A macro's files: uploads the author made (through the ordinary upload store) or files the macro
 * already had. Name, type and size come from the store, never from the request.
 */
export async function checkMacroFiles({ uploadsDir, actor, files, already }: CheckMacroFilesProps): Promise<AttachmentRow[]> {
  const kept = new Set(already.map((a) => a.url));
  const rows: AttachmentRow[] = [];
  for (const [i, file] of files.entries()) {
    const id = UPLOAD_URL.exec(file.url)?.[1];
    const stored = id ? await readUpload(uploadsDir, id) : undefined;
    if (!stored || (!kept.has(file.url) && stored.meta.owner !== actorLabel(actor))) {
      throw new AppError('validation_failed', `attachments.${i}: not a file you uploaded`, [
        { path: `attachments.${i}`, message: 'not a file you uploaded' },
      ]);
    }
    rows.push({ name: stored.meta.name, contentType: stored.meta.contentType, size: stored.meta.size, url: file.url });
  }
  return rows;
}

export type CopyMacroFilesProps = { uploadsDir: UploadLocation; actor: Actor; files: AttachmentRow[] };

/**
 * The files to attach to a reply from this macro: a copy of each for the agent applying it, because an
 * upload belongs to one person and, once sent, to one conversation (a macro's files go to many).
 */
export async function copyMacroFiles({ uploadsDir, actor, files }: CopyMacroFilesProps): Promise<AttachmentRow[]> {
  const copies: AttachmentRow[] = [];
  for (const file of files) {
    const id = UPLOAD_URL.exec(file.url)?.[1];
    const stored = id ? await readUpload(uploadsDir, id) : undefined;
    if (!id || !stored) continue; // a file removed from the store since: the reply goes without it
    const copy = await storeUpload(uploadsDir, {
      name: stored.meta.name,
      contentType: stored.meta.contentType,
      bytes: new Uint8Array(stored.bytes),
      owner: actorLabel(actor),
    });
    copies.push({
      name: copy.name,
      contentType: copy.contentType,
      size: copy.size,
      url: linkTo(file.url, id, copy.id),
    });
  }
  return copies;
}
