import { Marked } from 'marked';

/**
 * Markdown from tutorial steps, rendered for the help center. Two layers: raw HTML in the Markdown is
 * shown as text (never parsed), and the rendered HTML then goes through a strict allowlist: only
 * simple formatting tags, no attributes except a link's http(s)/mailto/relative href.
 */

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const decodeEntities = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|#39);/gi, (m, e: string) => {
    const k = e.toLowerCase();
    if (k === 'amp') return '&';
    if (k === 'lt') return '<';
    if (k === 'gt') return '>';
    if (k === 'quot') return '"';
    if (k === 'apos' || k === '#39') return "'";
    const code = k.startsWith('#x') ? Number.parseInt(k.slice(2), 16) : Number.parseInt(k.slice(1), 10);
    return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });

const markdown = new Marked({
  async: false,
  gfm: true,
  renderer: {
    // Raw HTML in the source stays visible as text.
    html: ({ text }) => escapeHtml(text),
    // Steps carry their own image; inline images become their alt text.
    image: ({ text }) => escapeHtml(text),
  },
});

const ALLOWED = new Set(['p', 'br', 'strong', 'em', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'h3', 'h4', 'hr']);
// Headings inside a step are demoted below the step's own title.
const RENAME: Record<string, string> = { h1: 'h3', h2: 'h3', h5: 'h4', h6: 'h4', b: 'strong', i: 'em', s: 'del' };
const VOID = new Set(['br', 'hr']);

/** A link target that is safe to keep: http(s), mailto or a relative URL; else null. */
export function safeHref(raw: string): string | null {
  const href = decodeEntities(raw).trim();
  // Control characters and whitespace inside a scheme are how `java\nscript:` tricks start.
  if (!href || [...href].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)) return null;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href)?.[1]?.toLowerCase();
  if (scheme) return ['http', 'https', 'mailto'].includes(scheme) ? href : null;
  if (href.startsWith('//')) return null;
  return href;
}

/** Keeps allowlisted tags (without attributes, but for a link's checked href); escapes everything else. */
export function sanitizeBasicHtml(html: string): string {
  let out = '';
  let last = 0;
  const tag = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b([^<>]*)>/g;
  const text = (s: string) => s.replace(/</g, '&lt;').replace(/>/g, '&gt;');
  // What is open: the source tag name and the tag written for it (a link without a safe target becomes a span).
  const open: { name: string; as: string }[] = [];
  for (let m = tag.exec(html); m; m = tag.exec(html)) {
    out += text(html.slice(last, m.index));
    last = m.index + m[0].length;
    const closing = m[1] === '/';
    const rawName = (m[2] ?? '').toLowerCase();
    const name = RENAME[rawName] ?? rawName;
    if (!ALLOWED.has(name)) continue;
    if (closing) {
      if (VOID.has(name)) continue;
      // Only close what is open, so the output stays well formed.
      const at = open.findLastIndex((o) => o.name === name);
      if (at < 0) continue;
      for (const o of open.splice(at).reverse()) out += `</${o.as}>`;
      continue;
    }
    if (VOID.has(name)) {
      out += `<${name}>`;
      continue;
    }
    let as = name;
    if (name === 'a') {
      const hrefAttr = /\bhref\s*=\s*("([^"]*)"|'([^']*)'|([^\s"'>]+))/i.exec(m[3] ?? '');
      const href = safeHref(hrefAttr?.[2] ?? hrefAttr?.[3] ?? hrefAttr?.[4] ?? '');
      if (href) {
        const external = /^https?:/i.test(href);
        out += `<a href="${escapeHtml(href)}"${external ? ' rel="noopener noreferrer nofollow"' : ''}>`;
      } else {
        as = 'span';
        out += '<span>';
      }
    } else {
      out += `<${name}>`;
    }
    open.push({ name, as });
  }
  out += text(html.slice(last));
  for (const o of open.reverse()) out += `</${o.as}>`;
  return out;
}

/** Markdown to safe HTML for the help center. */
export function renderMarkdown(source: string): string {
  return sanitizeBasicHtml(markdown.parse(source) as string);
}

/** Plain text of some HTML, for meta descriptions. */
export function htmlToText(html: string, max = 160): string {
  const text = decodeEntities(html.replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max / 2))}…`;
}
