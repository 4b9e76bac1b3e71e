import { safeHref } from './render';

/**
 * Agent rich text into DOM. The server already sanitized it; on top of that it is rebuilt here element
 * by element from an allowlist, never set as innerHTML of the live page. DOM-only (kept apart from the
 * pure render.ts, which is unit-tested in Node).
 */
const ALLOWED = new Set(['P', 'BR', 'B', 'STRONG', 'I', 'EM', 'U', 'S', 'UL', 'OL', 'LI', 'A', 'CODE', 'PRE', 'BLOCKQUOTE']);
/** Help-center articles may also have headings, rules and (https) images. */
const ARTICLE = new Set([...ALLOWED, 'H1', 'H2', 'H3', 'H4', 'HR', 'IMG', 'SPAN']);
const MESSAGE = new Set([...ALLOWED, 'IMG']);

export interface RichOptions {
  /** Article mode: headings, rules and https images are kept too. */
  article?: boolean;
  /** Relative links resolve against this origin (help-center links inside articles). */
  base?: string;
  /**
   * Messages: images served by these origins (our own server, where pasted images are stored) are
   * kept; the server already turned any other host's image into a link.
   */
  imageOrigins?: string[];
}

const resolve = (href: string | null, base: string | undefined) => {
  if (!href || !base) return href;
  try {
    return new URL(href, base).href;
  } catch {
    return null;
  }
};

/** Articles: https (no mixed content, no tracking over plain http) or the help center's own origin. Messages: our own server only. */
function imageAllowed(src: string, opts: RichOptions): boolean {
  if (opts.article) return /^https:/i.test(src) || Boolean(opts.base && src.startsWith(`${opts.base}/`));
  try {
    return /^https?:$/.test(new URL(src).protocol) && (opts.imageOrigins ?? []).includes(new URL(src).origin);
  } catch {
    return false;
  }
}

/**
 * Rebuilds sanitized agent HTML into a fragment of `doc` from an allowlist. DOMParser documents are
 * inert (no scripts run, no images load); only allowed elements are created, with no attributes but a
 * checked href (and, for articles, a checked image src and its alt).
 */
export function richFragment(html: string, doc: Document, opts: RichOptions = {}): DocumentFragment {
  const allowed = opts.article ? ARTICLE : opts.imageOrigins?.length ? MESSAGE : ALLOWED;
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  const out = doc.createDocumentFragment();
  const copy = (from: Node, to: Node) => {
    for (const child of Array.from(from.childNodes)) {
      if (child.nodeType === 3) {
        to.appendChild(doc.createTextNode(child.textContent ?? ''));
      } else if (child.nodeType === 1) {
        const el = child as Element;
        if (!allowed.has(el.tagName)) {
          // Unknown elements keep their text, never their markup; script and style lose both.
          if (el.tagName !== 'SCRIPT' && el.tagName !== 'STYLE') copy(el, to);
          continue;
        }
        const made = doc.createElement(el.tagName.toLowerCase());
        if (el.tagName === 'A') {
          const href = safeHref(resolve(el.getAttribute('href'), opts.base));
          if (href) {
            made.setAttribute('href', href);
            made.setAttribute('target', '_blank');
            made.setAttribute('rel', 'noopener noreferrer nofollow');
          }
        } else if (el.tagName === 'IMG') {
          const src = resolve(el.getAttribute('src'), opts.base);
          if (!src || !imageAllowed(src, opts)) continue;
          made.setAttribute('src', src);
          made.setAttribute('alt', el.getAttribute('alt') ?? '');
          made.setAttribute('loading', 'lazy');
        }
        copy(el, made);
        to.appendChild(made);
      }
    }
  };
  copy(parsed.body, out);
  return out;
}
