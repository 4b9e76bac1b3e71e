import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { sanitizeRichText } from '../text/sanitize';

const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/gi;

/**
 * The bot's text on its way into the room: Markdown rendered and run through the same sanitizer as any
 * message, then stricter still: no images at all, links only to allowed hosts (the help center and the
 * allowlist; anything else keeps its text and loses its link), and no email address the bot was not
 * given in this conversation or the cited articles.
 */
export function guardBotOutput(
  raw: string,
  opts: { allowedHosts: string[]; knownText: string },
): { html: string; removed: string[] } {
  const removed: string[] = [];
  const html = sanitizeRichText(marked.parse(raw, { async: false, gfm: true }) as string);
  const allowed = new Set(opts.allowedHosts.map((h) => h.toLowerCase()));
  const strict = sanitizeHtml(html, {
    allowedTags: ['p', 'br', 'strong', 'b', 'em', 'i', 'ul', 'ol', 'li', 'code', 'a', 'blockquote'],
    allowedAttributes: { a: ['href', 'rel', 'target'] },
    allowedSchemes: ['https', 'http'],
    exclusiveFilter: (frame) => {
      if (frame.tag === 'img') {
        removed.push(frame.attribs.src ?? 'img');
        return true;
      }
      return false;
    },
    transformTags: {
      a: (tagName, attribs) => {
        let host = '';
        try {
          host = new URL(attribs.href ?? '').host.toLowerCase();
        } catch {
          host = '';
        }
        if (host && allowed.has(host)) return { tagName, attribs: { ...attribs, rel: 'noopener noreferrer', target: '_blank' } };
        removed.push(attribs.href ?? '');
        return { tagName: 'span', attribs: {} };
      },
    },
  });
  const known = opts.knownText.toLowerCase();
  const noEmails = strict.replace(EMAIL, (m) => {
    if (known.includes(m.toLowerCase())) return m;
    removed.push(m);
    return '[email removed]';
  });
  // Bare URLs in text: an outside host becomes plain "[link removed]".
  const noBareLinks = noEmails.replace(/(?<!href=")\bhttps?:\/\/[^\s<"]+/gi, (m) => {
    try {
      if (allowed.has(new URL(m).host.toLowerCase())) return m;
    } catch {
      // not a URL after all
    }
    removed.push(m);
    return '[link removed]';
  });
  return { html: noBareLinks, removed };
}
