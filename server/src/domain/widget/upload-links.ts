import { AppError } from '@autocrm/shared';
import type { Db } from '../../storage/db';
import { settingSecret, sign, verify } from '../security/signed-token';

/** Where a stored file is served: `/widget-uploads/<id>/<name>` (ids: 256-bit base64url, or older UUIDs). */
export const UPLOAD_ID = '[A-Za-z0-9_-]{43}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const UPLOAD_PATH = new RegExp(`^/widget-uploads/(${UPLOAD_ID})/[^/]+$`);

/** The id of one of our uploads named by this URL (any origin, any query, or a bare path), or undefined. */
export function uploadIdOf(url: string): string | undefined {
  try {
    // Messages store bare paths (links are signed when shown); older ones hold absolute URLs.
    return UPLOAD_PATH.exec(new URL(url, 'http://stored.invalid').pathname)?.[1];
  } catch {
    return undefined;
  }
}

/** The unsigned path of a stored file: what is stored in messages; links are signed when shown. */
export const uploadPath = (upload: { id: string; name: string }) =>
  `/widget-uploads/${upload.id}/${encodeURIComponent(upload.name)}`;

// A link in stored text: an absolute URL of one of our uploads, with the signature (`&amp;`-escaped in
// HTML) it had when it was stored, if any.
const LINK_IN_TEXT = new RegExp(
  `(https?://[^\\s"'<>/]+)/widget-uploads/(${UPLOAD_ID})/([^\\s"'<>?#/]+)(\\?exp=\\d+(?:&amp;|&)sig=[A-Za-z0-9_-]+)?`,
  'g',
);
/** A fresh global matcher of our upload links in text: [whole, origin, id, encoded name, query]. */
export const uploadLinkPattern = () => new RegExp(LINK_IN_TEXT.source, 'g');

/**
 * Download links that end: `?exp=<unix seconds>&sig=<HMAC-SHA256(secret, id.exp), 128 bits>`. A file is
 * served only for a valid, unexpired signature, so a link copied out of a room (a forwarded mail, a
 * log, a browser history) stops working; links are signed afresh each time a message is shown.
 */
export class UploadLinks {
  constructor(
    private readonly secret: string,
    private readonly opts: {
      ttlSeconds: number;
      /** UPLOADS_ORIGIN: links point there instead of at the origin they were stored with. */
      uploadsOrigin?: string | undefined;
      /** Origins whose upload links in stored text are ours to re-sign. */
      isOwnOrigin: (origin: string) => boolean;
      now?: () => number;
    },
  ) {}

  /** A signed link to this upload, on UPLOADS_ORIGIN if set, else on `origin`. */
  link(origin: string, id: string, encodedName: string): string {
    const exp = Math.floor((this.opts.now?.() ?? Date.now()) / 1000) + this.opts.ttlSeconds;
    return `${this.opts.uploadsOrigin ?? origin}/widget-uploads/${id}/${encodedName}?exp=${exp}&sig=${sign(this.secret, 'upload', id, exp)}`;
  }

  /** Throws 403 `upload_link_expired` or `upload_link_invalid` unless the signature holds. */
  verify(id: string, exp: string | undefined, sig: string | undefined): void {
    const verdict = verify(this.secret, 'upload', id, sig ?? '', { expiresAt: Number(exp), now: this.opts.now?.() });
    if (verdict === 'invalid')
      throw new AppError('upload_link_invalid', 'this download link is not valid; open the file from its conversation again');
    if (verdict === 'expired')
      throw new AppError('upload_link_expired', 'this download link has expired; open the file from its conversation again');
  }

  /** A stored attachment URL as a fresh signed link (outside URLs, kept from before uploads were checked, stay). */
  signUrl(url: string): string {
    const id = uploadIdOf(url);
    if (!id) return url;
    const u = new URL(url);
    return this.link(u.origin, id, u.pathname.split('/')[3]!);
  }

  /** Every link to one of our uploads in stored HTML (images, links) signed afresh. */
  signHtml(html: string): string {
    if (!html.includes('/widget-uploads/')) return html;
    return html.replace(LINK_IN_TEXT, (whole, origin: string, id: string, name: string) =>
      this.opts.isOwnOrigin(origin) ? this.link(origin, id, name).replace('&', '&amp;') : whole,
    );
  }
}

// The links of this process, set once at start (like the own-origin list the sanitizer uses). Until
// then (unit tests of the domain) messages are presented as stored.
let active: UploadLinks | undefined;

export function useUploadLinks(links: UploadLinks): void {
  active = links;
}

export function activeUploadLinks(): UploadLinks | undefined {
  return active;
}

/** The signing secret, made once and shared by every process through the database. */
export const loadUploadLinkSecret = (db: Db): Promise<string> => settingSecret(db, 'uploads.link_secret');
