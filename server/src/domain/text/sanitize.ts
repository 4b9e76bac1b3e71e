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

export function sanitizeRichText(html: string): string {
  return sanitizeHtml(html, RICH_TEXT).trim();
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
