import { decodeHTML, escapeUTF8 } from 'entities';
import sanitizeHtml from 'sanitize-html';

// Rich text is an allowlist: anything not named here (scripts, styles, event handlers, iframes) is dropped.
const RICH_TEXT: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'strong',
    'b',
    'em',
    'i',
    'u',
    's',
    'a',
    'ul',
    'ol',
    'li',
    'code',
    'pre',
    'blockquote',
    'h1',
    'h2',
    'h3',
    'hr',
    'img',
    'span',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel', 'target'],
    img: ['src', 'alt', 'title'],
    // @mentions from the reply editor: who was mentioned (notifications read data-id).
    span: ['data-type', 'data-id', 'data-label'],
  },
  allowedClasses: { span: ['mention'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['https', 'http'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }),
  },
};

// Messages: an <img> pointing at another host would make every colleague's browser call that host when
// the room opens (a read receipt for whoever wrote it). Such images become a link the reader can choose
// to follow; images we serve ourselves (uploads, relative paths) stay.
const MESSAGE_TEXT: sanitizeHtml.IOptions = {
  ...RICH_TEXT,
  transformTags: {
    ...RICH_TEXT.transformTags,
    img: (tagName, attribs) => {
      const src = attribs.src ?? '';
      if (!/^https?:/i.test(src) || isOwnUpload(src)) return { tagName, attribs };
      let host = 'another site';
      try {
        host = new URL(src).host;
      } catch {
        // keep the generic label
      }
      return {
        tagName: 'a',
        attribs: { href: src, rel: 'noopener noreferrer nofollow', target: '_blank' },
        text: `[image: ${attribs.alt || host}]`,
      };
    },
  },
};

// The origins this server answers on (PUBLIC_URL, or the bound address), registered at start.
const ownOrigins = new Set<string>();

export function registerOwnOrigin(origin: string): void {
  ownOrigins.add(origin);
}

export function isOwnOrigin(origin: string): boolean {
  return ownOrigins.has(origin);
}

function isOwnUpload(src: string): boolean {
  try {
    const url = new URL(src);
    return ownOrigins.has(url.origin) && url.pathname.startsWith('/widget-uploads/');
  } catch {
    return false;
  }
}

/**
 * `message`: also turn images from other hosts into links (see MESSAGE_TEXT). Articles and macros
 * keep them: their authors are admins choosing what the help center shows.
 */
export function sanitizeRichText(html: string, opts: { message?: boolean } = {}): string {
  return sanitizeHtml(html, opts.message ? MESSAGE_TEXT : RICH_TEXT).trim();
}

const BLOCK_END = /<\/(p|div|li|h[1-6]|blockquote|pre)>|<br\s*\/?>/gi;

/** Plain text of (already sanitized) HTML, for search, previews, email and SMS. */
export function htmlToPlainText(html: string): string {
  const withBreaks = html.replace(BLOCK_END, (m) => `${m}\n`);
  const stripped = sanitizeHtml(withBreaks, { allowedTags: [], allowedAttributes: {} });
  return decodeHTML(stripped)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A customer's text is text: escaped, with line breaks kept, never interpreted as markup. */
export function plainTextToHtml(text: string): string {
  return text
    .trim()
    .split(/\r?\n/)
    .map((line) => escapeUTF8(line))
    .join('<br>');
}
